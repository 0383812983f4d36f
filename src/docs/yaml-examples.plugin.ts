/**
 * A Swagger UI plugin. Swagger UI turns every example of a YAML media type into YAML by parsing it
 * with js-yaml's `load`, which rejects a stream of several documents ("could not generate yaml
 * example", and a YAMLException in the console for each render). Manifest, export and import examples
 * are such streams, written as YAML already: those string examples are shown and sent as they are;
 * object examples still go through Swagger UI's own conversion.
 *
 * It runs in the browser: @nestjs/swagger writes it into the page with Function.prototype.toString,
 * so it must refer to nothing outside itself.
 */
type SampleFn = (schema: unknown, config: unknown, contentType: string, example: unknown) => string;

export function multiDocumentYamlExamples(system: { fn: { getYamlSampleSchema: SampleFn } }) {
  const convert = system.fn.getYamlSampleSchema;
  return {
    fn: {
      getYamlSampleSchema: (schema: unknown, config: unknown, contentType: string, example: unknown) =>
        typeof example === 'string' ? example : convert(schema, config, contentType, example),
    },
  };
}
