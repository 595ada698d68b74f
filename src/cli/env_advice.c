/* SPDX-License-Identifier: Apache-2.0 */
/* The one place where an unusable environment value is ignored and said so (env_advice.h). */
#include "cli/env_advice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/printable.h"

bool env_advice(const char *prog, const char *name, env_reader_t read, void *out)
{
    const char *value = getenv(name);
    if (!value || !*value) return false;
    strbuf_t why = {0};
    if (read(value, out, &why) == 0) {
        strbuf_fini(&why);
        return true;
    }
    /* the value (and what why quotes of it) is anyone's text: escaped like every such text */
    char *shown = printable_dup(value), *reason = printable_dup(why.data ? why.data : "ignored");
    fprintf(stderr, "%s: warning: environment variable %s='%s': %s\n", prog, name,
            shown ? shown : "?", reason ? reason : "ignored");
    free(shown);
    free(reason);
    strbuf_fini(&why);
    return false;
}

int env_log_level(const char *value, void *out, strbuf_t *why)
{
    static const struct {
        const char *name;
        int level;
    } levels[] = {{"DEBUG", LOG_DEBUG},    {"INFO", LOG_INFO},   {"WARNING", LOG_WARNING},
                  {"WARN", LOG_WARNING},   {"ERROR", LOG_ERROR}, {"CRITICAL", LOG_CRITICAL},
                  {"FATAL", LOG_CRITICAL}, {"NOTSET", LOG_DEBUG}};
    for (size_t i = 0; i < ARRAY_LEN(levels); i++) {
        if (strcasecmp(value, levels[i].name) == 0) {
            *(int *)out = levels[i].level;
            return 0;
        }
    }
    strbuf_puts(why, "unknown level ignored (choose from DEBUG, INFO, WARNING, ERROR, CRITICAL); "
                     "using WARNING");
    return -1;
}
