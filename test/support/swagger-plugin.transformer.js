// The @nestjs/swagger CLI plugin as a ts-jest AST transformer, with the options `nest build` gives it
// (nest-cli.json), so that a test's in-process app documents its DTOs exactly as the built service does.
// The plugin needs the TypeScript program, hence the docs project's non-isolated tsconfig.
const plugin = require('@nestjs/swagger/plugin');
const nestCli = require('../../nest-cli.json');

const { options } = nestCli.compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger');

module.exports = {
  name: 'nestjs-swagger-plugin',
  version: 1,
  factory: (tsCompiler) => plugin.before(options, tsCompiler.program),
};
