/**
 * The names every Swagger UI example uses, so that one task's output is the next one's input: create
 * prefills details-svc, get, patch, manifest and delete address it in bookinfo, the list example
 * selects it, resolve asks for its host.
 */
export const EXAMPLE_NAMESPACE = 'bookinfo';
export const EXAMPLE_NAME = 'details-svc';
export const EXAMPLE_HOST = 'details.bookinfo.com';
export const EXAMPLE_LABEL_SELECTOR = 'app=details-legacy';
