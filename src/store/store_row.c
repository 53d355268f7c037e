/* store_row.c - reading a complaint row, and the receipt number's one written form.
 *
 * Every query over complaints starts with COMPLAINT_COLUMNS (store_internal.h) and reads them
 * here, so the filing (store_complaint.c), the web's listings (store_web.c) and the office's
 * pages (store_staffweb.c) read a complaint the same way without calling one another. */
#include <stdio.h>
#include <string.h>

#include "store_internal.h"

void store_format_receipt(char out[STORE_RECEIPT_MAX], int year, long serial)
{
    snprintf(out, STORE_RECEIPT_MAX, "SG-%04d-%06ld", year, serial);
}

int64_t store_complaint_row(db_stmt *st, store_complaint *out)
{
    memset(out, 0, sizeof *out);
    store_copy_text(out->receipt, sizeof out->receipt, st, 1);
    store_copy_text(out->category, sizeof out->category, st, 2);
    store_copy_text(out->complaint_type, sizeof out->complaint_type, st, 3);
    store_copy_text(out->place, sizeof out->place, st, 4);
    store_copy_text(out->detail, sizeof out->detail, st, 5);
    store_copy_text(out->state, sizeof out->state, st, 6);
    store_copy_text(out->department, sizeof out->department, st, 7);
    store_copy_text(out->officer, sizeof out->officer, st, 8);
    store_copy_text(out->answer, sizeof out->answer, st, 9);
    store_copy_text(out->phone_last4, sizeof out->phone_last4, st, 10);
    store_copy_text(out->lang, sizeof out->lang, st, 11);
    store_copy_text(out->channel, sizeof out->channel, st, 12);
    out->extensions = db_column_int(st, 13);
    out->filed_at = (time_t)db_column_int64(st, 14);
    out->due_at = (time_t)db_column_int64(st, 15);
    store_copy_text(out->site, sizeof out->site, st, 16);
    return db_column_int64(st, 0);
}
