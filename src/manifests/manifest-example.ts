/** The Istio docs' details-svc WorkloadEntry and its ServiceEntry, exactly as the manifest route renders them. */
export const DETAILS_YAML = `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata:
  name: details-svc
  namespace: bookinfo
spec:
  address: 2.2.2.2
  labels:
    app: details-legacy
    instance-id: vm1
  serviceAccount: details-legacy
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: details-svc
  namespace: bookinfo
spec:
  hosts:
  - details.bookinfo.com
  location: MESH_INTERNAL
  ports:
  - name: http
    number: 80
    protocol: HTTP
    targetPort: 8080
  resolution: STATIC
  workloadSelector:
    labels:
      app: details-legacy
`;
