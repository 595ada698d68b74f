/* SPDX-License-Identifier: Apache-2.0 */
/* Ready pages: the poller publishes a complete, immutable /metrics page; a scrape takes a
 * reference to the current one under a short lock (a pointer copy) and releases it when its
 * response is done. A page is freed by its last release, so a response in flight never loses
 * its bytes and a scrape never sees a page being built. */
#include "exporter/exporter_internal.h"

#include <stdlib.h>
#include <string.h>

int page_store_init(page_store_t *store)
{
    store->current = NULL;
    atomic_init(&store->retired_bytes, 0);
    atomic_init(&store->live_pages, 0);
    return pthread_mutex_init(&store->lock, NULL) == 0 ? 0 : -1;
}

void page_store_fini(page_store_t *store)
{
    pthread_mutex_lock(&store->lock);
    page_t *page = store->current;
    store->current = NULL;
    pthread_mutex_unlock(&store->lock);
    if (page) page_release(page);
    pthread_mutex_destroy(&store->lock);
}

page_t *page_new(page_store_t *store, char *data, size_t len, const export_index_t *index)
{
    page_t *page = malloc(sizeof(*page));
    if (!page) return NULL;
    atomic_init(&page->refs, 1);
    atomic_init(&page->retired, false);
    page->store = store;
    page->created_ns = clock_monotonic_ns();
    page->len = len;
    page->data = data;
    if (index)
        page->index = *index;
    else
        memset(&page->index, 0, sizeof(page->index));
    atomic_fetch_add(&store->live_pages, 1);
    return page;
}

void page_store_publish(page_store_t *store, page_t *page)
{
    pthread_mutex_lock(&store->lock);
    page_t *old = store->current;
    store->current = page;
    pthread_mutex_unlock(&store->lock);
    if (!old) return;
    /* Counted before the store's reference goes: a response may release the last one at once. */
    atomic_fetch_add(&store->retired_bytes, old->len);
    atomic_store(&old->retired, true);
    page_release(old);
}

page_t *page_store_acquire(page_store_t *store)
{
    pthread_mutex_lock(&store->lock);
    page_t *page = store->current;
    if (page) atomic_fetch_add(&page->refs, 1);
    pthread_mutex_unlock(&store->lock);
    return page;
}

void page_release(page_t *page)
{
    if (!page || atomic_fetch_sub(&page->refs, 1) != 1) return;
    page_store_t *store = page->store;
    if (atomic_load(&page->retired)) atomic_fetch_sub(&store->retired_bytes, page->len);
    atomic_fetch_sub(&store->live_pages, 1);
    free(page->data);
    free(page);
}
