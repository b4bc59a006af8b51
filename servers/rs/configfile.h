/* SPDX-License-Identifier: MIT */
/*
 * MINIX's generic configuration file format (configfile(5), reference §5.1),
 * read into a tree; config.c gives the tree its system.conf meaning.
 *
 *   configfile : { configline } ;
 *   configline : wordlist ';' | 'include' string ';' ;
 *   wordlist   : { word | string | '{' configfile '}' } ;
 *
 * A word is letters, digits and !#$%&*+-./:<=>?[\]^_|~ (':' too, which
 * MINIX's io and pci values use). A string is in single or double quotes
 * with backslash escapes. '#' where a token would start begins a comment
 * to the end of the line. `include "file";` is replaced by the lines of
 * that file (relative to the including file's directory), at any level.
 */
#ifndef RS_CONFIGFILE_H
#define RS_CONFIGFILE_H

#include <stdarg.h>
#include <stddef.h>

enum cf_kind {
	CF_WORD,
	CF_STRING,
	CF_LIST,		/* { ... } */
};

struct cf_line;

struct cf_node {
	enum cf_kind kind;
	char *text;		/* CF_WORD, CF_STRING: the text, unescaped */
	struct cf_line *list;	/* CF_LIST: the lines between the braces */
	const char *file;	/* where the token is (owned by the tree) */
	unsigned int line;
	struct cf_node *next;
};

/* One configline: its words, strings and lists; never empty. */
struct cf_line {
	struct cf_node *nodes;
	struct cf_line *next;
};

struct cf_path;

struct cf_tree {
	struct cf_line *lines;
	struct cf_path *paths;	/* file names the nodes point to */
};

/* Bigger files are refused: a config file is small, /dev/zero is not. */
#define CF_MAX_FILE_SIZE	(1024 * 1024)

/*
 * Read the file at path (and its includes) into tree. Returns 0; -errno
 * when path itself cannot be read (err: "cannot read 'path': reason");
 * -EINVAL on a syntax error or an include that cannot be read (err:
 * "file:line: message"). tree is empty on failure; cf_free it either way.
 */
int cf_read(const char *path, struct cf_tree *tree, char *err, size_t errlen);

void cf_free(struct cf_tree *tree);

/*
 * Write "file:line: message" about node into err and return -EINVAL, so
 * that a caller can report and fail in one statement.
 */
__attribute__((format(printf, 4, 5)))
int cf_error(char *err, size_t errlen, const struct cf_node *at,
	     const char *fmt, ...);

/* The same with a va_list (for the warnings of config.c). */
void cf_vformat(char *buf, size_t len, const struct cf_node *at,
		const char *fmt, va_list ap);

#endif /* RS_CONFIGFILE_H */
