import { createTheme } from '@mantine/core';
import type { MantineColorsTuple } from '@mantine/core';

// One restrained accent (a deep ledger blue) on neutral greys; status colours only where they mean something.
const ledger: MantineColorsTuple = [
  '#eef3fb',
  '#dbe4f3',
  '#b3c6e6',
  '#88a6d9',
  '#658bcd',
  '#4f7ac6',
  '#4371c4',
  '#3460ad',
  '#2b559b',
  '#1f3a68',
];

/** The app's Mantine theme. */
export const theme = createTheme({
  primaryColor: 'ledger',
  primaryShade: 7,
  colors: { ledger },
  fontFamily: "'Inter Variable', Inter, -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, sans-serif",
  fontFamilyMonospace: "ui-monospace, 'SF Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
  headings: { fontWeight: '600' },
  defaultRadius: 'md',
  cursorType: 'pointer',
  components: {
    Button: { defaultProps: { fw: 500 } },
    // Sentence-case badges read as labels, not shouting.
    Badge: { defaultProps: { radius: 'sm', tt: 'none', fw: 600 } },
    Paper: { defaultProps: { withBorder: true, radius: 'md' } },
    Table: { defaultProps: { verticalSpacing: 'sm', horizontalSpacing: 'md' } },
    Modal: {
      defaultProps: { radius: 'md', centered: true, overlayProps: { backgroundOpacity: 0.4, blur: 2 } },
    },
  },
});
