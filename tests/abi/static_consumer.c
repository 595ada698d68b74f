/* SPDX-License-Identifier: Apache-2.0 */
/* A static user of libnvitop.a whose own functions and data bear the names of library
 * internals (str_copy, strbuf_printf, arg_parse, sampler_start, nvml_symbols) with other
 * types. It must link against the installed archive without a clash, and the library must keep
 * calling its own internals: the program counts the calls its str_copy receives, which come from
 * this program alone. Built and run by tests/abi/test_installed_symbols.sh on the simulator. */
#include <nvitop.h>
#include <stdio.h>
#include <string.h>

/* Not static on purpose: these are the global names a user's program may well use. */
int str_copy(const char *text);
int strbuf_printf(int value);
int arg_parse(int argc, char **argv);
int sampler_start(void);
extern const char *nvml_symbols[];

static int str_copy_calls;

int str_copy(const char *text)
{
    str_copy_calls++;
    return (int)strlen(text);
}

int strbuf_printf(int value)
{
    return value * 2;
}

int arg_parse(int argc, char **argv)
{
    (void)argv;
    return argc;
}

int sampler_start(void)
{
    return 7;
}

const char *nvml_symbols[] = {"mine", NULL};

/* The library's own work: its context, NVML (the simulator) and the first GPU's name, on
 * paths that use its internal str_copy and strbuf. */
static int first_gpu_name(char *name, size_t len)
{
    int err = 0;
    nvitop_ctx_t *ctx = nvitop_ctx_new(NULL, &err);
    if (!ctx) return err ? err : NVITOP_ENOMEM;
    nvitop_device_t *dev = NULL;
    nvitop_device_snapshot_t snap;
    err = nvitop_init(ctx);
    if (!err) err = nvitop_device_get(ctx, 0, &dev);
    if (!err) err = nvitop_device_query(dev, NVITOP_DQ_NAME | NVITOP_DQ_UUID, &snap);
    if (!err && NVITOP_HAS(snap.name)) snprintf(name, len, "%s", snap.name.value);
    if (err)
        fprintf(stderr, "static_consumer: %s: %s\n", nvitop_strerror(err), nvitop_ctx_message(ctx));
    nvitop_ctx_free(ctx);
    return err;
}

int main(int argc, char **argv)
{
    char name[128] = "";
    if (first_gpu_name(name, sizeof name) != 0) return 1;
    int mine = str_copy("abc") + strbuf_printf(10) + arg_parse(argc, argv) + sampler_start();
    printf("library %s, GPU 0 \"%s\", mine %d %s, str_copy calls %d\n", nvitop_version(), name,
           mine, nvml_symbols[0], str_copy_calls);
    return str_copy_calls == 1 ? 0 : 1;
}
