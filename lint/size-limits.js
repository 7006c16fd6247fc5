// Size limits (DESIGN.md: "each file one idea"; issue #16): no file over 300 lines, no function over about 60.
// A file counts every line, as `wc -l` does; a function counts only lines of code, so a comment that says why never
// pushes a function over. Test files are exempt from the function limit: a test's body is a story read top to
// bottom, and its `describe` callback holds the whole file. An exception elsewhere takes an eslint-disable comment
// that says why.

export const sizeLimits = [
  {
    files: ['**/*.{ts,js,mjs}'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }] },
  },
  {
    files: ['packages/*/src/**/*.ts', 'bench/**/*.ts', 'packages/*/scripts/**/*.ts'],
    // The conformance suite is tests too: *.test.ts files register it for each engine.
    ignores: ['**/*.test.ts', 'packages/server/src/store/conformance/**'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
];
