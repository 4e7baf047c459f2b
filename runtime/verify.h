/* verify.h - private: structural and semantic validation of every section
 * of a table whose header and directory load.c has already checked. */
#ifndef PDT_VERIFY_H
#define PDT_VERIFY_H

struct pdt_table;

/* Checks every section this runtime knows and fills the section pointers of
 * t.  Returns 0, PDT_E_CORRUPT or PDT_E_VERSION.  Linear in the table size. */
int pdt_verify_table(struct pdt_table *t);

#endif
