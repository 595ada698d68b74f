/* SPDX-License-Identifier: Apache-2.0 */
/* libcurl's functions by dlopen (curl_api.h). */
#include "fleet/curl_api.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

static const char *const libraries[] = {"libcurl-gnutls.so.4", "libcurl.so.4"};

/* Each pointer of curl_api_t and its symbol, written once. */
static const struct {
    const char *symbol;
    size_t offset;
} symbols[] = {
#define SYM(name, field)                                                                           \
    {                                                                                              \
        name, offsetof(curl_api_t, field)                                                          \
    }
    SYM("curl_global_init", global_init),
    SYM("curl_global_cleanup", global_cleanup),
    SYM("curl_easy_init", easy_init),
    SYM("curl_easy_cleanup", easy_cleanup),
    SYM("curl_easy_setopt", easy_setopt),
    SYM("curl_easy_perform", easy_perform),
    SYM("curl_easy_getinfo", easy_getinfo),
    SYM("curl_easy_strerror", easy_strerror),
    SYM("curl_easy_escape", easy_escape),
    SYM("curl_free", free),
    SYM("curl_slist_append", slist_append),
    SYM("curl_slist_free_all", slist_free_all),
    SYM("curl_url", url),
    SYM("curl_url_set", url_set),
    SYM("curl_url_get", url_get),
    SYM("curl_url_cleanup", url_cleanup),
#undef SYM
};

int curl_api_load(curl_api_t *api, strbuf_t *why)
{
    memset(api, 0, sizeof(*api));
    /* Never unloaded: libcurl's TLS libraries keep thread-local state that must outlive
     * dlclose (a sanitizer's leak check reads it at exit). */
    for (size_t i = 0; i < ARRAY_LEN(libraries) && !api->handle; i++)
        api->handle = dlopen(libraries[i], RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!api->handle) {
        strbuf_puts(why, "libcurl not found (libcurl-gnutls.so.4 or libcurl.so.4; Debian: "
                         "apt install libcurl3-gnutls)");
        return -1;
    }
    for (size_t i = 0; i < ARRAY_LEN(symbols); i++) {
        void *fn = dlsym(api->handle, symbols[i].symbol);
        if (!fn) {
            strbuf_printf(why, "the libcurl found has no %s (7.62 or later is needed)",
                          symbols[i].symbol);
            curl_api_unload(api);
            return -1;
        }
        memcpy((char *)api + symbols[i].offset, &fn, sizeof(fn));
    }
    return 0;
}

void curl_api_unload(curl_api_t *api)
{
    if (api->handle) dlclose(api->handle);
    memset(api, 0, sizeof(*api));
}
