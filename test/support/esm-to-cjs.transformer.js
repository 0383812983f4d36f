// NestJS 12 and a few of its dependencies ship only ES modules. Node 20 loads them from CommonJS
// (require(esm)), but Jest's module registry cannot before Node 24.9, so e2e tests compile those files
// to CommonJS on the fly (cached by Jest). CommonJS files pass through untouched.
const { pathToFileURL } = require('node:url');
const { dirname } = require('node:path');
const babelJest = require('babel-jest').default;

const babel = babelJest.createTransformer({
  babelrc: false,
  configFile: false,
  plugins: ['@babel/plugin-transform-dynamic-import', '@babel/plugin-transform-modules-commonjs'],
});

const looksLikeEsm = (source) => /^\s*(import\s|import\{|export\s|export\{)/m.test(source);

// `import.meta` does not exist in CommonJS: its fields are constants of the file being compiled.
const inlineImportMeta = (source, path) =>
  source
    .replace(/import\.meta\.url/g, JSON.stringify(pathToFileURL(path).href))
    .replace(/import\.meta\.filename/g, JSON.stringify(path))
    .replace(/import\.meta\.dirname/g, JSON.stringify(dirname(path)));

module.exports = {
  canInstrument: false,
  getCacheKey(source, path, options) {
    return babel.getCacheKey(source, path, options);
  },
  process(source, path, options) {
    return looksLikeEsm(source) ? babel.process(inlineImportMeta(source, path), path, options) : { code: source };
  },
};
