/* SPDX-License-Identifier: Apache-2.0 */
/* Names of containers and pods from the files container runtimes keep on the host: JSON
 * configs (docker's config.v2.json, OCI config.json annotations of containerd and cri-o,
 * podman's containers.json) and kubelet's /var/log/pods/<namespace>_<name>_<uid> folders.
 * A small JSON walker (strings only; numbers, literals and nesting skipped) reads them: no
 * I/O here, any byte buffer is safe. */
#include "host/host_internal.h"

#include <string.h>

#define JSON_DEPTH_MAX 32
#define JSON_KEY_MAX 128

typedef struct json_frame {
    bool is_object;
    char key[JSON_KEY_MAX]; /* the member key that opened this container ("" in arrays) */
} json_frame_t;

/* Called for each string value: its depth (1 = a member of the outermost object), its member
 * key ("" for array elements), the key of the enclosing container, and its decoded text.
 * Returns true to stop. */
typedef bool (*json_visit_fn)(void *arg, int depth, const char *key, const char *parent_key,
                              const char *value);

/* Decodes the JSON string starting after its opening quote into out (cut to cap - 1; \u
 * escapes outside ASCII become '?'). Returns the position after the closing quote, or NULL. */
static const char *json_string(const char *p, const char *end, char *out, size_t cap)
{
    size_t n = 0;
    while (p < end && *p != '"') {
        char c = *p++;
        if (c == '\\') {
            if (p >= end) return NULL;
            c = *p++;
            switch (c) {
            case 'n':
                c = '\n';
                break;
            case 't':
                c = '\t';
                break;
            case 'r':
                c = '\r';
                break;
            case 'b':
            case 'f':
                c = ' ';
                break;
            case 'u': {
                unsigned v = 0;
                for (int i = 0; i < 4; i++, p++) {
                    if (p >= end) return NULL;
                    const char *hex = "0123456789abcdef0123456789ABCDEF";
                    const char *d = *p ? strchr(hex, *p) : NULL;
                    if (!d) return NULL;
                    v = v * 16 + (unsigned)((d - hex) % 16);
                }
                c = v >= 0x20 && v < 0x7f ? (char)v : '?';
                break;
            }
            default: /* '"', '\\', '/' stand for themselves */
                break;
            }
        }
        if (n + 1 < cap) out[n++] = c;
    }
    if (cap) out[n] = '\0';
    return p < end ? p + 1 : NULL;
}

/* Walks the buffer, calling visit for every string value. Malformed input simply ends the
 * walk (what was seen before still counts). */
static void json_walk(const char *buf, size_t len, json_visit_fn visit, void *arg)
{
    json_frame_t stack[JSON_DEPTH_MAX];
    int depth = 0;
    bool want_key = false;
    char key[JSON_KEY_MAX] = "";
    char value[HOST_WL_NAME_MAX * 2];
    const char *p = buf, *end = buf + len;
    while (p < end) {
        char c = *p++;
        if (c == '{' || c == '[') {
            if (depth == JSON_DEPTH_MAX) return;
            stack[depth].is_object = c == '{';
            strcpy(stack[depth].key, key);
            depth++;
            want_key = c == '{';
            key[0] = '\0';
        } else if (c == '}' || c == ']') {
            if (depth == 0) return;
            depth--;
            want_key = false;
        } else if (c == ',') {
            want_key = depth > 0 && stack[depth - 1].is_object;
            key[0] = '\0';
        } else if (c == '"') {
            if (want_key) {
                if (!(p = json_string(p, end, key, sizeof(key)))) return;
                want_key = false;
            } else {
                if (!(p = json_string(p, end, value, sizeof(value)))) return;
                const char *parent = depth > 0 ? stack[depth - 1].key : "";
                if (depth > 0 && visit(arg, depth, key, parent, value)) return;
            }
        }
    }
}

typedef struct meta_search {
    host_workload_t *w;
    const char *id; /* podman's containers.json: the object of this id */
    bool in_id_object;
    int id_depth;
} meta_search_t;

static void set_once(char *dst, size_t cap, const char *value)
{
    if (dst[0] || !value[0]) return;
    size_t n = strlen(value);
    if (n >= cap) n = cap - 1;
    memcpy(dst, value, n);
    dst[n] = '\0';
}

/* Labels and annotations every runtime writes for Kubernetes (dockershim and cri-o:
 * io.kubernetes.*, containerd's CRI plugin: io.kubernetes.cri.*) and nerdctl's name. */
static bool visit_labels(void *arg, int depth, const char *key, const char *parent,
                         const char *value)
{
    meta_search_t *m = arg;
    host_workload_t *w = m->w;
    (void)parent;
    if (depth == 1 && strcmp(key, "Name") == 0) /* docker: "/name" */
        set_once(w->container_name, sizeof(w->container_name), value[0] == '/' ? value + 1 : value);
    else if (!strcmp(key, "io.kubernetes.container.name") ||
             !strcmp(key, "io.kubernetes.cri.container-name") || !strcmp(key, "nerdctl/name"))
        set_once(w->container_name, sizeof(w->container_name), value);
    else if (!strcmp(key, "io.kubernetes.pod.name") ||
             !strcmp(key, "io.kubernetes.cri.sandbox-name"))
        set_once(w->pod_name, sizeof(w->pod_name), value);
    else if (!strcmp(key, "io.kubernetes.pod.namespace") ||
             !strcmp(key, "io.kubernetes.cri.sandbox-namespace"))
        set_once(w->pod_namespace, sizeof(w->pod_namespace), value);
    else if (!strcmp(key, "io.kubernetes.pod.uid") || !strcmp(key, "io.kubernetes.cri.sandbox-uid"))
        set_once(w->pod_uid, sizeof(w->pod_uid), value);
    return false;
}

void host_workload_from_config(const char *buf, size_t len, host_workload_t *w)
{
    if (!buf) return;
    meta_search_t m = {.w = w};
    json_walk(buf, len, visit_labels, &m);
}

/* containers.json: [{"id": "...", "names": ["name"], ...}, ...]: the first name of the
 * object whose id is ours. */
static bool visit_podman(void *arg, int depth, const char *key, const char *parent,
                         const char *value)
{
    meta_search_t *m = arg;
    if (depth == 2 && strcmp(key, "id") == 0) {
        m->in_id_object = strcmp(value, m->id) == 0;
        return false;
    }
    if (m->in_id_object && depth == 3 && strcmp(parent, "names") == 0) {
        set_once(m->w->container_name, sizeof(m->w->container_name), value);
        return true;
    }
    return false;
}

void host_workload_from_podman_list(const char *buf, size_t len, host_workload_t *w)
{
    if (!buf || !w->container_id[0]) return;
    meta_search_t m = {.w = w, .id = w->container_id};
    json_walk(buf, len, visit_podman, &m);
}

/* kubelet names each pod's log folder <namespace>_<name>_<uid>; namespaces and pod names
 * cannot hold '_' (DNS labels), so the split is exact. */
bool host_workload_from_pod_dir(const char *dirname, host_workload_t *w)
{
    size_t n = strlen(dirname), ulen = strlen(w->pod_uid);
    if (!ulen || n <= ulen + 1 || strcmp(dirname + n - ulen, w->pod_uid) != 0 ||
        dirname[n - ulen - 1] != '_')
        return false;
    const char *sep = memchr(dirname, '_', n - ulen - 1);
    if (!sep || sep == dirname || sep + 1 >= dirname + n - ulen - 1) return false;
    size_t ns_len = (size_t)(sep - dirname), name_len = (size_t)(dirname + n - ulen - 1 - sep - 1);
    if (ns_len >= sizeof(w->pod_namespace) || name_len >= sizeof(w->pod_name) ||
        memchr(sep + 1, '_', name_len))
        return false;
    if (!w->pod_namespace[0] && !w->pod_name[0]) {
        memcpy(w->pod_namespace, dirname, ns_len);
        w->pod_namespace[ns_len] = '\0';
        memcpy(w->pod_name, sep + 1, name_len);
        w->pod_name[name_len] = '\0';
    }
    return true;
}
