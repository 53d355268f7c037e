/* array.h - growing a realloc'd array by doubling, the one way every module does it. */
#ifndef SEODONG_ARRAY_H
#define SEODONG_ARRAY_H

#include <stdbool.h>
#include <stddef.h>

/* Makes *arr (capacity *cap elements of size bytes) hold at least n + 1 elements, doubling from
 * 16. Returns false when memory ran out (*arr and *cap are then unchanged). */
bool array_reserve(void **arr, size_t *cap, size_t n, size_t size);

#endif
