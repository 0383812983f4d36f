"""The official Python client's watch, driven by watch-clients.e2e-spec.ts.

Usage: /usr/bin/python3 python_watch.py KUBECONFIG NAMESPACE EVENTS
Streams WorkloadEntry events of NAMESPACE with watch.Watch().stream(list_namespaced_custom_object) and
prints one line per event ("TYPE name resourceVersion"), flushed at once; stops after EVENTS events.
"""
import sys

from kubernetes import client, config, watch

GROUP, VERSION, PLURAL = "networking.istio.io", "v1", "workloadentries"


def main():
    kubeconfig, namespace, wanted = sys.argv[1], sys.argv[2], int(sys.argv[3])
    config.load_kube_config(config_file=kubeconfig)
    api = client.CustomObjectsApi()
    seen = 0
    stream = watch.Watch().stream(api.list_namespaced_custom_object, GROUP, VERSION, namespace, PLURAL, timeout_seconds=20)
    for event in stream:
        metadata = event["object"]["metadata"]
        print(event["type"], metadata["name"], metadata["resourceVersion"], flush=True)
        seen += 1
        if seen == wanted:
            break


main()
