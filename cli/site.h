/* site.h: the static transparency site (`bawaba report --html DIR`): the indicators by
 * administration, kind and month as SVG charts and tables, in Arabic (right to left) and
 * French, with the anonymous open-data files to download. No JavaScript, no personal data. */
#ifndef CLI_SITE_H
#define CLI_SITE_H

#include "bw_store.h"

/* Writes DIR/index.html (the choice of language), DIR/ar/index.html, DIR/fr/index.html,
 * DIR/data/requests.csv, DIR/data/indicators.csv and DIR/open311/{ar,fr}/ for the
 * requests received in [from, to] (NULL: the twelve months up to today), seen from
 * today. The "open" catalogue must be bound. BW_EIO, BW_EDB. */
int site_write(bw_store *st, const char *dir, const char *from, const char *to, const char *today,
               bw_err *e);

#endif
