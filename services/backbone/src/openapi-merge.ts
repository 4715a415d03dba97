type Doc = {
  openapi?: string;
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown> };
};

/**
 * One OpenAPI document for the services this process serves: paths and component schemas
 * side by side, under one bearer-token security scheme. Two services defining the same schema name differently would shadow each
 * other, so that is refused at start-up rather than served wrong.
 */
export function mergeOpenApi(documents: readonly object[]): object {
  const docs = documents as readonly Doc[];
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const doc of docs) {
    Object.assign(paths, doc.paths);
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      if (name in schemas && JSON.stringify(schemas[name]) !== JSON.stringify(schema))
        throw new Error(`OpenAPI schema ${name} is defined differently by two services`);
      schemas[name] = schema;
    }
  }
  return {
    openapi: docs[0]!.openapi ?? '3.1.0',
    info: {
      title: 'PCN backbone',
      version: '1.0.0',
      description: docs.map((d) => `${d.info?.title ?? ''}: ${d.info?.description ?? ''}`).join('\n\n'),
    },
    paths,
    // Every operation needs a bearer token (health, readiness and metrics are outside these paths).
    security: [{ bearer: [] }],
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  };
}
