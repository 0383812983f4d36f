import { Rule, rulesCovered } from './rules';
import { inNamespaces, registrarRules, ROLES } from './roles';

describe('rulesCovered (no token makes one with more power than its own)', () => {
  const we = (verbs: string[], extra: Partial<Rule> = {}): Rule => ({ verbs, apiGroups: ['networking.istio.io'], resources: ['workloadentries'], ...extra });
  it.each<[string, readonly Rule[], Rule[], boolean]>([
    ['an admin grants anything', ROLES.admin, ROLES.editor, true],
    ['an admin grants admin', ROLES.admin, ROLES.admin, true],
    ['an editor grants a viewer of its groups', ROLES.editor, [{ verbs: ['get', 'list'], apiGroups: ['networking.istio.io'], resources: ['*'] }], true],
    ['an editor grants no admin', ROLES.editor, ROLES.admin, false],
    ['an editor grants no /registry/v1/audit', ROLES.editor, [{ verbs: ['get'], nonResourceURLs: ['/registry/v1/audit'] }], false],
    ['an editor grants /metrics', ROLES.editor, [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }], true],
    ['a namespace editor grants its namespace', inNamespaces(ROLES.editor, ['a']), [we(['create'], { namespaces: ['a'] })], true],
    ['a namespace editor grants no other namespace', inNamespaces(ROLES.editor, ['a']), [we(['create'], { namespaces: ['b'] })], false],
    ['a namespace editor grants nothing cluster-wide', inNamespaces(ROLES.editor, ['a']), [we(['list'])], false],
    ['verbs split over two rules are covered', [we(['get']), we(['list'])], [we(['get', 'list'])], true],
    ['a named rule grants its names only', [we(['get'], { resourceNames: ['x'] })], [we(['get'])], false],
    ['a named rule grants a subset of its names', [we(['get'], { resourceNames: ['x', 'y'] })], [we(['get'], { resourceNames: ['x'] })], true],
    ['a conditional rule grants no unconditional one', registrarRules(), [we(['delete'])], false],
    ['a registrar grants a scoped registrar', registrarRules(), registrarRules({ namespace: 'a', group: 'g' }), true],
    ['a prefix URL covers a longer one', [{ verbs: ['get'], nonResourceURLs: ['/registry/*'] }], [{ verbs: ['get'], nonResourceURLs: ['/registry/v1/audit'] }], true],
    ['a URL covers no prefix', [{ verbs: ['get'], nonResourceURLs: ['/registry/v1/audit'] }], [{ verbs: ['get'], nonResourceURLs: ['/registry/*'] }], false],
  ])('%s', (_title, owner, requested, covered) => {
    expect(rulesCovered(owner, requested)).toBe(covered);
  });
});
