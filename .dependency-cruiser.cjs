/**
 * The shape of the code, kept by the tool (issue 18). `npm run depcruise` checks these rules; `npm test` runs it.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles-between-top-folders',
      severity: 'error',
      comment: 'Two top folders of src/ that import each other are one module in disguise: invert one dependency (a port).',
      scope: 'folder',
      from: { path: '^src/[^/]+$' },
      to: { path: '^src/[^/]+$', circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: { path: '^src' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'Domain code (deciders, rules) imports no framework, no adapter and no I/O: it is tested as given events / when command / then events.',
      from: { path: '^src/.+/domain/' },
      to: {
        pathNot: '^src/(shared/|[^/]+/domain/)',
        dependencyTypesNot: ['type-only', 'core'],
      },
    },
    {
      name: 'shared-imports-nothing-above-it',
      severity: 'error',
      comment: 'The shared kernel is imported by every context and imports none of them.',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'read-side-engine-knows-no-domain',
      severity: 'error',
      comment: 'The projection engine (runner, host, worker, checkpoints, rebuild) runs any read model and knows none of them.',
      from: { path: '^src/read-side/' },
      to: { path: '^src/(disputes|sla|read-models)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
