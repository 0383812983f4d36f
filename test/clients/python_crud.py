"""The official Python client's CRUD on WorkloadEntries, driven by python-client.e2e-spec.ts.

Usage: /usr/bin/python3 python_crud.py KUBECONFIG NAMESPACE
Runs every step against the server the kubeconfig names and prints one JSON report on stdout: per step
what the call returned, or the status, reason, message and cause fields of the ApiException it raised.
The expectations are the jest test's, so that a failure shows as a diff there.
"""
import json
import sys

from kubernetes import client, config
from kubernetes.client.rest import ApiException

GROUP, VERSION, PLURAL = "networking.istio.io", "v1", "workloadentries"


def workload(name, app, address="10.0.0.1"):
    return {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "WorkloadEntry",
        "metadata": {"name": name, "labels": {"app": app}},
        "spec": {"address": address, "serviceAccount": "details-legacy"},
    }


def failure(error):
    body = json.loads(error.body) if error.body else {}
    causes = body.get("details", {}).get("causes", [])
    return {
        "status": error.status,
        "reason": body.get("reason"),
        "message": body.get("message"),
        "fields": [cause.get("field") for cause in causes],
    }


def run(api, namespace):
    at = (GROUP, VERSION, namespace, PLURAL)
    report = {}

    def step(name, call):
        try:
            report[name] = {"returned": call()}
        except ApiException as error:
            report[name] = {"raised": failure(error)}

    for name, app in (("vm-1", "x"), ("vm-2", "x"), ("vm-3", "y")):
        step(f"create {name}", lambda: api.create_namespaced_custom_object(*at, workload(name, app)))
    step("get", lambda: api.get_namespaced_custom_object(*at, "vm-1"))
    step("list app=x", lambda: api.list_namespaced_custom_object(*at, label_selector="app=x"))
    stored = report["get"]["returned"]
    replacement = workload("vm-1", "x", address="10.0.0.2")
    replacement["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"]
    step("replace", lambda: api.replace_namespaced_custom_object(*at, "vm-1", replacement))
    step("merge patch", lambda: api.patch_namespaced_custom_object(*at, "vm-1", {"metadata": {"labels": {"tier": "db"}}}))
    status = {"status": {"conditions": [{"type": "Healthy", "status": "True"}]}}
    step("status patch", lambda: api.patch_namespaced_custom_object_status(*at, "vm-1", status))
    step("get missing", lambda: api.get_namespaced_custom_object(*at, "nope"))
    step("create existing", lambda: api.create_namespaced_custom_object(*at, workload("vm-1", "x")))
    step("create invalid", lambda: api.create_namespaced_custom_object(*at, workload("vm-bad", "x", address="not an address!")))
    step("delete", lambda: api.delete_namespaced_custom_object(*at, "vm-1"))
    options = client.V1DeleteOptions(propagation_policy="Background", grace_period_seconds=0)
    step("delete with DeleteOptions", lambda: api.delete_namespaced_custom_object(*at, "vm-2", body=options))
    # This client (Debian's, 22.x) has no labelSelector on delete-collection: it deletes the namespace's all.
    elsewhere = (GROUP, VERSION, f"{namespace}-other", PLURAL)
    step("create elsewhere", lambda: api.create_namespaced_custom_object(*elsewhere, workload("vm-4", "x")))
    step("delete collection", lambda: api.delete_collection_namespaced_custom_object(*at))
    step("list after", lambda: api.list_namespaced_custom_object(*at))
    step("list elsewhere after", lambda: api.list_namespaced_custom_object(*elsewhere))
    return report


def main():
    kubeconfig, namespace = sys.argv[1], sys.argv[2]
    config.load_kube_config(config_file=kubeconfig)
    print(json.dumps(run(client.CustomObjectsApi(), namespace)))


if __name__ == "__main__":
    main()
