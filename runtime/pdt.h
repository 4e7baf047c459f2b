/* pdt.h - the public API of libpdt, the pdt decision-table runtime.
 *
 * A decision table is a file written by `pdtc compile`.  pdt_open maps it,
 * validates every byte of it as untrusted input, and returns an immutable
 * handle that any number of threads may query at once with pdt_decide.
 * pdt_decide never allocates, locks or prints; any error on that path decides
 * PDT_IMPLICIT_DENY.  This is the only public header of the runtime. */
#ifndef PDT_H
#define PDT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PDT_BUILDING) && defined(__GNUC__)
#define PDT_API __attribute__((visibility("default")))
#else
#define PDT_API
#endif

#define PDT_ABI_VERSION 1  /* bumped on incompatible API/ABI changes (not the file format) */

struct pdt_table;  /* opaque */

struct pdt_kv {
    const char *key;
    const char *const *values;
    size_t nvalues;
    int multi;  /* nonzero: a list (of any length, 0 and 1 included); zero: one string, nvalues == 1 */
};

struct pdt_request {
    const char *action;                            /* "service:ActionName" */
    const char *resource;                          /* an ARN, or "*" */
    const struct pdt_kv *context; size_t ncontext; /* the request context */
};

struct pdt_why {          /* filled by pdt_decide when not NULL; strings point into the table, valid until pdt_close */
    int32_t statement;    /* index of the deciding statement; -1 for an implicit deny */
    const char *policy;   /* its source file name; NULL when the table was stripped */
    uint32_t line;        /* its 1-based line; 0 when stripped */
    const char *sid;      /* its Sid; NULL when none or stripped */
};

enum pdt_decision { PDT_IMPLICIT_DENY = 0, PDT_ALLOW = 1, PDT_EXPLICIT_DENY = 2 };

enum pdt_err {
    PDT_OK = 0,
    PDT_E_IO = -1,       /* the file could not be opened, read or mapped */
    PDT_E_NOMEM = -2,    /* the handle could not be allocated */
    PDT_E_ALIGN = -3,    /* pdt_open_mem: buffer not 8-byte aligned */
    PDT_E_MAGIC = -4,    /* not a pdt table */
    PDT_E_VERSION = -5,  /* a format major version this runtime does not know */
    PDT_E_CHECKSUM = -6, /* the payload checksum does not match */
    PDT_E_CORRUPT = -7,  /* structurally invalid table */
    PDT_E_INVAL = -8     /* a NULL argument */
};

PDT_API int pdt_open(const char *path, struct pdt_table **out);               /* mmap read-only; 0 or a negative PDT_E_* */
PDT_API int pdt_open_mem(const void *buf, size_t len, struct pdt_table **out); /* buf 8-byte aligned (else PDT_E_ALIGN), outlives the table */
PDT_API void pdt_close(struct pdt_table *t);
PDT_API enum pdt_decision pdt_decide(const struct pdt_table *t, const struct pdt_request *req, struct pdt_why *why);
PDT_API const char *pdt_strerror(int err);
PDT_API int pdt_abi_version(void);

#ifdef __cplusplus
}
#endif

#endif
