/**
 * The shape of the code, kept by the tool (issue 18). `npm run depcruise` checks these rules; `npm test` runs it.
 * @type {import('dependency-cruiser').IConfiguration}
 */
/**
 * The top folders (and top files) of src/, lowest first. Each may import only what is listed before it, so no two
 * import each other: the rule "no cycle between top folders", made checkable. (A folder-scoped `circular` rule does
 * not do it: dependency-cruiser draws folder edges to the deepest folder, src/sla -> src/disputes/domain, so a cycle
 * src/sla -> src/disputes -> src/sla/domain is never closed.) A new top folder goes in here, where its imports put it.
 * The contexts: `sla` (pure SLA rules, upstream) <- `disputes` <- `read-models` (implement the disputes' ports)
 * <- `sla-supervision` (drives disputes, reads reports); see docs/architecture.md.
 */
const LAYERS = [
  'shared',
  'config',
  'event-store',
  'common',
  'audit-trail',
  'read-side',
  'ops',
  'auth',
  'blob-store',
  'compensation',
  'idempotency',
  'privacy',
  'health',
  'sla',
  'disputes',
  'read-models',
  'sla-supervision',
  'bench',
  'app.module.ts',
  'app.factory.ts',
  'cli',
  'main.ts',
];
const pathOf = (names) => `^src/(${names.map((n) => n.replace(/[.]/g, '[.]')).join('|')})(/|$)`;

function layerRules() {
  const rules = LAYERS.slice(0, -1).map((name, i) => ({
    name: 'no-cycles-between-top-folders',
    severity: 'error',
    comment: `src/${name} is below ${LAYERS.slice(i + 1).join(', ')} in the layer order (LAYERS): it imports none of them. Invert the dependency (a port owned by the lower folder, or a structural type it declares).`,
    from: { path: pathOf([name]) },
    to: { path: pathOf(LAYERS.slice(i + 1)) },
  }));
  rules.push({
    name: 'top-folders-are-layered',
    severity: 'error',
    comment: 'Every top folder of src/ has its place in LAYERS (.dependency-cruiser.cjs).',
    from: { path: '^src/', pathNot: pathOf(LAYERS) },
    to: {},
  });
  return rules;
}

module.exports = {
  forbidden: [
    ...layerRules(),
    {
      name: 'infrastructure-imports-no-context',
      severity: 'error',
      comment:
        'Infrastructure folders (storage adapters, the read-side engine, http conventions, auth, ops, config, audit trail) serve the contexts and import none of them: a context that needs to be called back registers through a port.',
      from: {
        path: '^src/(shared|config|common|event-store|read-side|ops|auth|idempotency|audit-trail|compensation|health|privacy|blob-store)/',
      },
      to: { path: '^src/(disputes|sla|sla-supervision|read-models|cli|bench|app[.]|main[.])' },
    },
    {
      name: 'contexts-import-no-entry-point',
      severity: 'error',
      comment: 'The contexts are composed by the app module and the CLI, never the other way round.',
      from: { path: '^src/(disputes|sla|sla-supervision|read-models)/' },
      to: { path: '^src/(cli|bench|app[.]|main[.])' },
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
      comment:
        'Domain code (deciders, rules) imports no framework, no adapter and no I/O: it is tested as given events / when command / then events.',
      // A slice's command type and its rule (commands/<use-case>/<x>.command.ts, <x>.decide.ts) are domain code kept
      // in the slice's folder: held to the same rule, and the domain may import them.
      from: { path: ['^src/.+/domain/', '^src/disputes/commands/[^/]+/[^/]+[.](command|decide)[.]ts$'] },
      to: {
        pathNot: '^src/(shared/|[^/]+/domain/|disputes/commands/[^/]+/[^/]+[.](command|decide)[.]ts$)',
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
      to: { path: '^src/(disputes|sla|sla-supervision|read-models)/' },
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
