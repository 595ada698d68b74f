/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop_cuda_runtime_version(): libcudart's own answer, or N/A with the reason. */
#include "testutil.h"

#include <nvitop.h>

#include <stdlib.h>

static const char *stub(void)
{
    const char *path = getenv("NVITOP_CUDART_STUB_LIB");
    assert_non_null(path);
    return path;
}

static void test_runtime_version_from_the_library(void **state)
{
    (void)state;
    setenv("NVITOP_CUDART_LIBRARY", stub(), 1);
    unsetenv("STUB_CUDART_FAIL");
    setenv("STUB_CUDART_VERSION", "13000", 1);
    nvitop_int_t v = nvitop_cuda_runtime_version();
    assert_int_equal(v.na, NVITOP_NA_NONE);
    assert_int_equal(v.value, 13000);
    unsetenv("STUB_CUDART_VERSION");
    assert_int_equal(nvitop_cuda_runtime_version().value, 12040);
}

static void test_runtime_version_failing_call(void **state)
{
    (void)state;
    setenv("NVITOP_CUDART_LIBRARY", stub(), 1);
    setenv("STUB_CUDART_FAIL", "1", 1);
    nvitop_int_t v = nvitop_cuda_runtime_version();
    unsetenv("STUB_CUDART_FAIL");
    assert_int_equal(v.na, NVITOP_NA_DRIVER_ERROR);
}

static void test_runtime_version_without_a_library(void **state)
{
    (void)state;
    setenv("NVITOP_CUDART_LIBRARY", "/nonexistent/libcudart.so", 1);
    assert_int_equal(nvitop_cuda_runtime_version().na, NVITOP_NA_NO_FUNCTION);
    /* a library without the function */
    setenv("NVITOP_CUDART_LIBRARY", "libc.so.6", 1);
    assert_int_equal(nvitop_cuda_runtime_version().na, NVITOP_NA_NO_FUNCTION);
    /* the toolkit directories: a CUDA_PATH holding the stub as lib64/libcudart.so is found */
    unsetenv("NVITOP_CUDART_LIBRARY");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runtime_version_from_the_library),
        cmocka_unit_test(test_runtime_version_failing_call),
        cmocka_unit_test(test_runtime_version_without_a_library),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
