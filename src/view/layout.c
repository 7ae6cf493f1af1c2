/* Where each pane goes.  From the top: the key hint, the folder list at
 * the left, the message list, the preview (below or beside it, with a
 * divider line), then the status line and the message/prompt line. */
#include <config.h>

#include <string.h>

#include "util/util.h"
#include "view/view.h"

void
layout_compute(Layout *l, int lines, int cols, gboolean folders,
               PreviewMode mode, int percent)
{
    memset(l, 0, sizeof *l);
    if (lines < 4)
        lines = 4;
    if (cols < 10)
        cols = 10;
    l->hint = (Rect){ 0, 0, 1, cols };
    l->status = (Rect){ lines - 2, 0, 1, cols };
    l->message = (Rect){ lines - 1, 0, 1, cols };

    int top = 1, height = lines - 3;
    int left = 0, width = cols;
    if (folders && cols >= 60) {
        int fw = cols / 6;
        fw = CLAMP(fw, 14, 30);
        l->folders = (Rect){ top, 0, height, fw };
        left = fw + 1;     /* one column for the separator */
        width = cols - left;
    }

    if (percent < 10)
        percent = 10;
    if (percent > 90)
        percent = 90;

    if (mode == PREVIEW_BELOW && height >= 6) {
        int ph = height * percent / 100;
        int lh = height - ph - 1;
        if (lh < 2) {
            lh = 2;
            ph = height - lh - 1;
        }
        l->list = (Rect){ top, left, lh, width };
        l->divider = (Rect){ top + lh, left, 1, width };
        l->preview = (Rect){ top + lh + 1, left, ph, width };
    } else if (mode == PREVIEW_RIGHT && width >= 40) {
        int pw = width * percent / 100;
        int lw = width - pw - 1;
        if (lw < 20) {
            lw = 20;
            pw = width - lw - 1;
        }
        l->list = (Rect){ top, left, height, lw };
        l->divider = (Rect){ top, left + lw, height, 1 };
        l->preview = (Rect){ top, left + lw + 1, height, pw };
    } else {
        l->list = (Rect){ top, left, height, width };
    }
}
