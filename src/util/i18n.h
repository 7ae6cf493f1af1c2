/* gettext macros shared by every source file. */
#ifndef POSTIE_I18N_H
#define POSTIE_I18N_H

#include <libintl.h>
#define _(s) gettext(s)
#define N_(s) (s)
#define ngettext_(s, p, n) ngettext((s), (p), (n))

#endif
