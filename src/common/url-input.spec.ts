import { requestTargetProblem } from './url-input';

describe('requestTargetProblem: the router and the authorizer read the same path', () => {
  it.each([
    ['/apis/networking.istio.io/v1/namespaces/a/workloadentries/vm-1', undefined],
    ['/apis/networking.istio.io/v1/namespaces/a/workloadentries?labelSelector=app%3Dx', undefined],
    ['/apis/networking.istio.io/v1/namespaces/a/workloadentries/vm%231', undefined],
    ['/healthz', undefined],
    ['/apis/networking.istio.io/v1/namespaces/a/workloadentries/victim#x', /must not contain "#"/],
    ['/apis/networking.istio.io/v1/namespaces/a/workloadentries/victim#/heartbeat', /must not contain "#"/],
    ['/registry/v1/resolve?host=a#b', /must not contain "#"/],
    ['http://registry/apis/networking.istio.io/v1/namespaces/a/workloadentries/vm-1', /origin-form/],
    ['https://registry/healthz', /origin-form/],
    ['*', /origin-form/],
  ])('%s', (url, problem) => {
    const found = requestTargetProblem(url);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});
