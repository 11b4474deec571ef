import type { Side } from '../core/canonical';

/** Name of the 1-based data row column in every raw table (chosen so no file column clashes with it). */
export const ROW_NO = '__row_no';

/** All-VARCHAR view of the source file for a side, plus `__row_no` (1-based data row). */
export const rawTable = (side: Side): string => `raw_${side}`;

/** The table behind the `raw_<side>` view. */
export const rawDataTable = (side: Side): string => `raw_${side}_data`;

/** Row-level errors of a side: row_no, column, raw, code, message. */
export const errorsTable = (side: Side): string => `errors_${side}`;
