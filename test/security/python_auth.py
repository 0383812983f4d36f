"""The official Python client against the registry over HTTPS with a token, driven by clients.e2e-spec.ts.

Usage: /usr/bin/python3 python_auth.py KUBECONFIG NAMESPACE
Lists, creates, and asks SelfSubjectAccessReview as the kubeconfig's user; prints one JSON report.
"""
import json
import sys

from kubernetes import client, config
from kubernetes.client.rest import ApiException

GROUP, VERSION, PLURAL = "networking.istio.io", "v1", "workloadentries"


def step(call):
    try:
        result = call()
        return {"returned": result if isinstance(result, dict) else result.to_dict()}
    except ApiException as error:
        body = json.loads(error.body) if error.body else {}
        return {"raised": {"status": error.status, "reason": body.get("reason"), "message": body.get("message")}}


def main():
    kubeconfig, namespace = sys.argv[1], sys.argv[2]
    api_client = config.new_client_from_config(config_file=kubeconfig)
    objects = client.CustomObjectsApi(api_client)
    authz = client.AuthorizationV1Api(api_client)
    entry = {"apiVersion": f"{GROUP}/{VERSION}", "kind": "WorkloadEntry", "metadata": {"name": "py-vm"}, "spec": {"address": "10.0.0.3"}}
    review = client.V1SelfSubjectAccessReview(spec=client.V1SelfSubjectAccessReviewSpec(
        resource_attributes=client.V1ResourceAttributes(namespace=namespace, verb="create", group=GROUP, resource=PLURAL)))
    report = {
        "list": step(lambda: objects.list_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL)),
        "can-i create": step(lambda: authz.create_self_subject_access_review(review)),
        "create": step(lambda: objects.create_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, entry)),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
