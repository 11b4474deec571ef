import type { App } from '../../src/app';

/** A JSON schema's properties, as far as the tests read them. */
export type SchemaProps = Record<
  string,
  { type?: string; properties?: SchemaProps; items?: { properties?: SchemaProps } }
>;

/** The properties of the 200 JSON response of `GET path` in the app's generated `/openapi.json`. */
export async function getResponseProperties(app: App, path: string): Promise<SchemaProps> {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
    paths: Record<
      string,
      {
        get?: {
          responses: Record<string, { content: Record<string, { schema: { properties: SchemaProps } }> }>;
        };
      }
    >;
  }>();
  return doc.paths[path]?.get?.responses['200']?.content['application/json']?.schema.properties ?? {};
}
