/* store_weather.c - the forecast cache. */
#include "store_internal.h"

const char *const store_weather_schema = "";
