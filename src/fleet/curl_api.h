/* SPDX-License-Identifier: Apache-2.0 */
/* libcurl, loaded at run time (as NVML is): `nvitop` starts and works without it, and only
 * `--prometheus` says it is missing; the wheel need not bundle libcurl and its dozen
 * libraries. The types and constants come from <curl/curl.h>; the functions the client calls
 * are these pointers. */
#ifndef NVITOP_FLEET_CURL_API_H
#define NVITOP_FLEET_CURL_API_H

#include <curl/curl.h>

#include "util/util.h"

typedef struct curl_api {
    void *handle;
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *h);
    CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *h);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode code);
    char *(*easy_escape)(CURL *h, const char *text, int length);
    void (*free)(void *p);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *text);
    void (*slist_free_all)(struct curl_slist *list);
    CURLU *(*url)(void);
    CURLUcode (*url_set)(CURLU *u, CURLUPart part, const char *text, unsigned int flags);
    CURLUcode (*url_get)(const CURLU *u, CURLUPart part, char **text, unsigned int flags);
    void (*url_cleanup)(CURLU *u);
} curl_api_t;

/* Loads libcurl-gnutls.so.4, else libcurl.so.4 (7.62 or later: the URL API). Returns 0, or -1
 * with why ("not found ..."). */
int curl_api_load(curl_api_t *api, strbuf_t *why);
void curl_api_unload(curl_api_t *api);

#endif
