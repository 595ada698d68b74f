/* SPDX-License-Identifier: Apache-2.0 */
/* The scenario's "cuda" object, read by the libcuda stand-in (sim/cuda/): CUDA's own device
 * order, a cuInit failure and latency; and the CUresult names scenarios and messages use. */
#include "sim_parse.h"

#include <string.h>

#define SIM_MAX_CUDA_LATENCY_US 600000000LL /* ten minutes: long enough to test any timeout */

static const struct {
    int code;
    const char *name;
} cuda_errors[] = {
    {0, "SUCCESS"},
    {1, "INVALID_VALUE"},
    {2, "OUT_OF_MEMORY"},
    {3, "NOT_INITIALIZED"},
    {4, "DEINITIALIZED"},
    {34, "STUB_LIBRARY"},
    {46, "DEVICE_UNAVAILABLE"},
    {100, "NO_DEVICE"},
    {101, "INVALID_DEVICE"},
    {102, "DEVICE_NOT_LICENSED"},
    {304, "OPERATING_SYSTEM"},
    {400, "INVALID_HANDLE"},
    {500, "NOT_FOUND"},
    {801, "NOT_SUPPORTED"},
    {802, "SYSTEM_NOT_READY"},
    {803, "SYSTEM_DRIVER_MISMATCH"},
    {804, "COMPAT_NOT_SUPPORTED_ON_DEVICE"},
    {999, "UNKNOWN"},
};

int sim_cuda_error_by_name(const char *name)
{
    if (strncmp(name, "CUDA_ERROR_", 11) == 0)
        name += 11;
    else if (strcmp(name, "CUDA_SUCCESS") == 0)
        name = "SUCCESS";
    for (size_t i = 0; i < sizeof(cuda_errors) / sizeof(cuda_errors[0]); i++)
        if (strcmp(cuda_errors[i].name, name) == 0) return cuda_errors[i].code;
    return -1;
}

const char *sim_cuda_error_name(int code)
{
    static const char *const full[] = {
        "CUDA_SUCCESS",
        "CUDA_ERROR_INVALID_VALUE",
        "CUDA_ERROR_OUT_OF_MEMORY",
        "CUDA_ERROR_NOT_INITIALIZED",
        "CUDA_ERROR_DEINITIALIZED",
        "CUDA_ERROR_STUB_LIBRARY",
        "CUDA_ERROR_DEVICE_UNAVAILABLE",
        "CUDA_ERROR_NO_DEVICE",
        "CUDA_ERROR_INVALID_DEVICE",
        "CUDA_ERROR_DEVICE_NOT_LICENSED",
        "CUDA_ERROR_OPERATING_SYSTEM",
        "CUDA_ERROR_INVALID_HANDLE",
        "CUDA_ERROR_NOT_FOUND",
        "CUDA_ERROR_NOT_SUPPORTED",
        "CUDA_ERROR_SYSTEM_NOT_READY",
        "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH",
        "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE",
        "CUDA_ERROR_UNKNOWN",
    };
    for (size_t i = 0; i < sizeof(cuda_errors) / sizeof(cuda_errors[0]); i++)
        if (cuda_errors[i].code == code) return full[i];
    return NULL;
}

static bool parse_order(struct sim_parser *p, json_t *j, const char *path)
{
    struct sim_scenario *sc = p->sc;
    char el[SIM_PATH];
    if (!j || json_is_null(j)) return true;
    if (!json_is_array(j) || json_array_size(j) != sc->n_devs)
        return sim_fail(p, path, "expected an array of the %zu GPU indices in CUDA's order",
                        sc->n_devs);
    sc->cuda.order = sim_alloc(sc, (sc->n_devs + 1) * sizeof(*sc->cuda.order));
    bool *seen = sim_alloc(sc, sc->n_devs + 1);
    if (!sc->cuda.order || !seen) return sim_fail(p, path, "out of memory");
    for (size_t i = 0; i < sc->n_devs; i++) {
        long long v;
        if (!sim_parse_int(p, json_array_get(j, i), sim_path_index(el, path, i), 0,
                           (long long)sc->n_devs - 1, &v))
            return false;
        if (seen[v]) return sim_fail(p, el, "GPU %lld is listed twice", v);
        seen[v] = true;
        sc->cuda.order[i] = (unsigned int)v;
    }
    sc->cuda.n_order = sc->n_devs;
    return true;
}

bool sim_parse_cuda(struct sim_parser *p, json_t *root)
{
    static const char *const known[] = {"order", "init_error", "init_latency_us", NULL};
    json_t *obj;
    char sub[SIM_PATH];
    if (!sim_parse_obj(p, json_object_get(root, "cuda"), "cuda", &obj)) return false;
    if (!obj) return true;
    sim_check_keys(p, obj, "cuda", known);
    if (!parse_order(p, json_object_get(obj, "order"), "cuda.order")) return false;
    json_t *err = json_object_get(obj, "init_error");
    if (err && !json_is_null(err)) {
        int code = json_is_string(err) ? sim_cuda_error_by_name(json_string_value(err)) : -1;
        if (code <= 0)
            return sim_fail(p, sim_path_key(sub, "cuda", "init_error"),
                            "expected a CUresult name such as \"NO_DEVICE\" (not SUCCESS)");
        p->sc->cuda.init_error = code;
    }
    json_t *lat = json_object_get(obj, "init_latency_us");
    if (lat && !json_is_null(lat) &&
        !sim_parse_int(p, lat, sim_path_key(sub, "cuda", "init_latency_us"), 0,
                       SIM_MAX_CUDA_LATENCY_US, &p->sc->cuda.init_latency_us))
        return false;
    return true;
}
