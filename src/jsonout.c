/* jsonout.c - JSON string escaping and value re-serialisation (see
 * jsonout.h).  Owns nothing but the output format; the caller owns the
 * FILE and decides where lines end. */
#include "jsonout.h"

#include <string.h>

#include "json.h"

/* Length of the valid UTF-8 sequence at p[0..n) (1..4), or 0 when the bytes
 * there are not a valid, shortest-form, non-surrogate sequence. */
static size_t jsonout_utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len, i;
    unsigned cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else
        return 0;
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

void jsonout_strn(FILE *f, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    fputc('"', f);
    while (i < len) {
        unsigned c = p[i];
        size_t n;
        switch (c) {
        case '"': fputs("\\\"", f); i++; continue;
        case '\\': fputs("\\\\", f); i++; continue;
        case '\n': fputs("\\n", f); i++; continue;
        case '\r': fputs("\\r", f); i++; continue;
        case '\t': fputs("\\t", f); i++; continue;
        case '\b': fputs("\\b", f); i++; continue;
        case '\f': fputs("\\f", f); i++; continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7f) {
            fprintf(f, "\\u%04x", c);
            i++;
            continue;
        }
        n = jsonout_utf8_len(p + i, len - i);
        if (n == 0) {
            fprintf(f, "\\u%04x", c); /* invalid byte: keep its value visible */
            i++;
            continue;
        }
        fwrite(p + i, 1, n, f);
        i += n;
    }
    fputc('"', f);
}

void jsonout_str(FILE *f, const char *s)
{
    if (!s)
        fputs("null", f);
    else
        jsonout_strn(f, s, strlen(s));
}

/* Writes a scalar (or, past the depth bound, a container) on its own. */
static void jsonout_scalar(FILE *f, const struct json *v)
{
    switch (v->type) {
    case JSON_FALSE: fputs("false", f); break;
    case JSON_TRUE: fputs("true", f); break;
    case JSON_NUMBER: fwrite(v->u.str.s, 1, v->u.str.len, f); break;
    case JSON_STRING: jsonout_strn(f, v->u.str.s, v->u.str.len); break;
    default: fputs("null", f); break;
    }
}

void jsonout_value(FILE *f, const struct json *v)
{
    struct frame {
        const struct json *v; /* the open array or object */
        size_t next;          /* index of the next child to write */
    } st[JSON_MAX_DEPTH + 1];
    size_t depth = 0;         /* open containers */

    if (!v) {
        fputs("null", f);
        return;
    }
    for (;;) {
        /* write v: open it if it is a container, else write it whole */
        if ((v->type == JSON_ARRAY || v->type == JSON_OBJECT) && depth < JSON_MAX_DEPTH + 1) {
            fputc(v->type == JSON_ARRAY ? '[' : '{', f);
            st[depth].v = v;
            st[depth].next = 0;
            depth++;
        } else
            jsonout_scalar(f, v);
        /* find the next value to write, closing finished containers */
        for (;;) {
            struct frame *fr;
            size_t n;
            if (depth == 0)
                return;
            fr = &st[depth - 1];
            n = fr->v->type == JSON_ARRAY ? fr->v->u.arr.n : fr->v->u.obj.n;
            if (fr->next < n)
                break;
            fputc(fr->v->type == JSON_ARRAY ? ']' : '}', f);
            depth--;
        }
        {
            struct frame *fr = &st[depth - 1];
            if (fr->next > 0)
                fputs(", ", f);
            if (fr->v->type == JSON_ARRAY) {
                v = fr->v->u.arr.items[fr->next++];
            } else {
                const struct json_member *m = &fr->v->u.obj.members[fr->next++];
                jsonout_strn(f, m->key, m->key_len);
                fputs(": ", f);
                v = m->value;
            }
        }
    }
}
