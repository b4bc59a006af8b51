// SPDX-License-Identifier: MIT
/* MINIX's configuration file format, read into a tree (configfile.h). */
#include "configfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Deeper nesting is refused before the recursion could exhaust the stack. */
#define CF_MAX_BRACE_DEPTH	32
#define CF_MAX_INCLUDE_DEPTH	16

struct cf_path {
	struct cf_path *next;
	char name[];
};

enum token_kind {
	TOKEN_EOF,
	TOKEN_WORD,
	TOKEN_STRING,
	TOKEN_OPEN,		/* { */
	TOKEN_CLOSE,		/* } */
	TOKEN_END,		/* ; */
};

struct token {
	enum token_kind kind;
	unsigned int line;
	char *text;		/* WORD, STRING: malloc'd, the caller's */
};

struct lexer {
	const char *file;	/* owned by the tree */
	const char *pos;
	const char *end;
	unsigned int line;
};

struct reader {
	struct cf_tree *tree;
	char *err;
	size_t errlen;
	unsigned int include_depth;
};

static void format_at(char *buf, size_t len, const char *file,
		      unsigned int line, const char *fmt, va_list ap)
{
	int n = snprintf(buf, len, "%s:%u: ", file, line);

	if (n >= 0 && (size_t)n < len)
		vsnprintf(buf + n, len - (size_t)n, fmt, ap);
}

void cf_vformat(char *buf, size_t len, const struct cf_node *at,
		const char *fmt, va_list ap)
{
	format_at(buf, len, at->file, at->line, fmt, ap);
}

int cf_error(char *err, size_t errlen, const struct cf_node *at,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cf_vformat(err, errlen, at, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

__attribute__((format(printf, 4, 5)))
static int fail_at(struct reader *rd, const char *file, unsigned int line,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	format_at(rd->err, rd->errlen, file, line, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---- files ---------------------------------------------------------------- */

/* The file's text, NUL-terminated. Returns 0, or -errno with *why set. */
static int read_text(const char *path, char **text, size_t *len,
		     const char **why)
{
	struct stat st;
	size_t size = 0, cap = 4096;
	char *buf = NULL;
	int fd, error;

	*why = NULL;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		error = -errno;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		error = -EISDIR;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		error = -EINVAL;
		goto out;
	}
	for (;;) {
		char *bigger;
		ssize_t n;

		if (size > CF_MAX_FILE_SIZE) {
			*why = "file larger than 1 MiB";
			error = -EFBIG;
			goto out;
		}
		if (size == cap - 1)
			cap *= 2;
		bigger = realloc(buf, cap);
		if (!bigger) {
			error = -ENOMEM;
			goto out;
		}
		buf = bigger;
		n = read(fd, buf + size, cap - 1 - size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error = -errno;
			goto out;
		}
		if (n == 0)
			break;
		size += (size_t)n;
	}
	buf[size] = '\0';
	*text = buf;
	*len = size;
	buf = NULL;
	error = 0;
out:
	free(buf);
	close(fd);
	return error;
}

static const char *read_reason(int error, const char *why)
{
	return why ? why : strerror(-error);
}

/* Keep a copy of a file name for the nodes' lifetime. */
static const char *keep_path(struct cf_tree *tree, const char *name)
{
	size_t len = strlen(name);
	struct cf_path *p = malloc(sizeof(*p) + len + 1);

	if (!p)
		return NULL;
	memcpy(p->name, name, len + 1);
	p->next = tree->paths;
	tree->paths = p;
	return p->name;
}

/* ---- tokens --------------------------------------------------------------- */

static bool is_word_char(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&*+-./:<=>?[\\]^_|~", c) != NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\f' || c == '\v';
}

static int bad_char(struct reader *rd, struct lexer *lx, char c)
{
	if (c > ' ' && c < 0x7f)
		return fail_at(rd, lx->file, lx->line,
			       "unexpected character '%c'", c);
	return fail_at(rd, lx->file, lx->line,
		       "unexpected character '\\x%02x'", (unsigned char)c);
}

static char unescape(char c)
{
	switch (c) {
	case 'a': return '\a';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'v': return '\v';
	default: return c;	/* \\, \", \' and any other: the character */
	}
}

static int lex_string(struct reader *rd, struct lexer *lx, struct token *tok)
{
	const char quote = *lx->pos++;
	const char *scan = lx->pos;
	char *out;

	/* Its extent first: the text unescaped is never longer. */
	while (scan < lx->end && *scan != quote)
		scan += (*scan == '\\' && scan + 1 < lx->end) ? 2 : 1;
	if (scan >= lx->end)
		return fail_at(rd, lx->file, tok->line,
			       "string without its closing %c", quote);
	tok->text = malloc((size_t)(scan - lx->pos) + 1);
	if (!tok->text)
		return fail_at(rd, lx->file, tok->line, "out of memory");
	out = tok->text;
	while (lx->pos < scan) {
		char c = *lx->pos++;

		if (c == '\0') {
			free(tok->text);
			tok->text = NULL;
			return fail_at(rd, lx->file, lx->line,
				       "NUL character in a string");
		}
		if (c == '\\') {
			c = *lx->pos++;
			if (c == '\n') {	/* a continued line */
				lx->line++;
				continue;
			}
			if (c == '\0') {
				free(tok->text);
				tok->text = NULL;
				return fail_at(rd, lx->file, lx->line,
					       "NUL character in a string");
			}
			c = unescape(c);
		} else if (c == '\n') {
			lx->line++;
		}
		*out++ = c;
	}
	*out = '\0';
	lx->pos++;		/* the closing quote */
	tok->kind = TOKEN_STRING;
	return 0;
}

static int next_token(struct reader *rd, struct lexer *lx, struct token *tok)
{
	const char *start;
	size_t len;

	tok->text = NULL;
	for (;;) {
		if (lx->pos >= lx->end) {
			tok->kind = TOKEN_EOF;
			tok->line = lx->line;
			return 0;
		}
		if (*lx->pos == '\n') {
			lx->line++;
			lx->pos++;
		} else if (is_space(*lx->pos)) {
			lx->pos++;
		} else if (*lx->pos == '#') {
			while (lx->pos < lx->end && *lx->pos != '\n')
				lx->pos++;
		} else {
			break;
		}
	}
	tok->line = lx->line;
	switch (*lx->pos) {
	case '{':
		lx->pos++;
		tok->kind = TOKEN_OPEN;
		return 0;
	case '}':
		lx->pos++;
		tok->kind = TOKEN_CLOSE;
		return 0;
	case ';':
		lx->pos++;
		tok->kind = TOKEN_END;
		return 0;
	case '"':
	case '\'':
		return lex_string(rd, lx, tok);
	}
	if (!is_word_char(*lx->pos))
		return bad_char(rd, lx, *lx->pos);
	start = lx->pos;
	while (lx->pos < lx->end && is_word_char(*lx->pos))
		lx->pos++;
	len = (size_t)(lx->pos - start);
	tok->text = malloc(len + 1);
	if (!tok->text)
		return fail_at(rd, lx->file, tok->line, "out of memory");
	memcpy(tok->text, start, len);
	tok->text[len] = '\0';
	tok->kind = TOKEN_WORD;
	return 0;
}

/* ---- the tree ------------------------------------------------------------- */

static void free_nodes(struct cf_node *node);

static void free_lines(struct cf_line *line)
{
	while (line) {
		struct cf_line *next = line->next;

		free_nodes(line->nodes);
		free(line);
		line = next;
	}
}

static void free_nodes(struct cf_node *node)
{
	while (node) {
		struct cf_node *next = node->next;

		free(node->text);
		free_lines(node->list);
		free(node);
		node = next;
	}
}

void cf_free(struct cf_tree *tree)
{
	free_lines(tree->lines);
	tree->lines = NULL;
	while (tree->paths) {
		struct cf_path *next = tree->paths->next;

		free(tree->paths);
		tree->paths = next;
	}
}

static int parse_file(struct reader *rd, const char *path,
		      unsigned int depth, struct cf_line ***tail,
		      const struct cf_node *included_at);

static int parse_lines(struct reader *rd, struct lexer *lx,
		       unsigned int depth, const struct token *open,
		       struct cf_line ***tail);

/* `include "file";` (nodes: the whole line): the file's lines go here. */
static int include_file(struct reader *rd, struct lexer *lx,
			const struct cf_node *nodes, unsigned int depth,
			struct cf_line ***tail)
{
	const struct cf_node *name = nodes->next;
	const char *slash;
	char *path;
	int r;

	if (!name || name->kind != CF_STRING || name->next)
		return cf_error(rd->err, rd->errlen, nodes,
				"include: expected one quoted file name");
	if (name->text[0] == '\0')
		return cf_error(rd->err, rd->errlen, nodes,
				"include: empty file name");
	if (rd->include_depth >= CF_MAX_INCLUDE_DEPTH)
		return cf_error(rd->err, rd->errlen, nodes,
				"include: nested more than %d deep",
				CF_MAX_INCLUDE_DEPTH);
	slash = strrchr(lx->file, '/');
	if (name->text[0] == '/' || !slash) {
		path = strdup(name->text);
	} else {
		int dir_len = (int)(slash - lx->file);

		if (asprintf(&path, "%.*s/%s", dir_len, lx->file,
			     name->text) < 0)
			path = NULL;
	}
	if (!path)
		return cf_error(rd->err, rd->errlen, nodes, "out of memory");
	rd->include_depth++;
	r = parse_file(rd, path, depth, tail, nodes);
	rd->include_depth--;
	free(path);
	return r;
}

/* A configline's nodes up to its ';'. */
static int parse_nodes(struct reader *rd, struct lexer *lx,
		       unsigned int depth, struct token *tok,
		       struct cf_node **first)
{
	struct cf_node **ntail = first;
	unsigned int last_line = tok->line;
	int r;

	while (tok->kind != TOKEN_END) {
		struct cf_node *node;

		if (tok->kind == TOKEN_EOF)
			return fail_at(rd, lx->file, last_line,
				       "missing ';' at the end of the file");
		if (tok->kind == TOKEN_CLOSE)
			return fail_at(rd, lx->file, tok->line,
				       "missing ';' before '}'");
		node = calloc(1, sizeof(*node));
		if (!node) {
			free(tok->text);
			return fail_at(rd, lx->file, tok->line, "out of memory");
		}
		node->file = lx->file;
		node->line = tok->line;
		*ntail = node;
		ntail = &node->next;
		if (tok->kind == TOKEN_OPEN) {
			struct cf_line **ltail = &node->list;

			node->kind = CF_LIST;
			if (depth + 1 > CF_MAX_BRACE_DEPTH)
				return fail_at(rd, lx->file, tok->line,
					       "'{' nested more than %d deep",
					       CF_MAX_BRACE_DEPTH);
			r = parse_lines(rd, lx, depth + 1, tok, &ltail);
			if (r < 0)
				return r;
		} else {
			node->kind = tok->kind == TOKEN_WORD ? CF_WORD
							     : CF_STRING;
			node->text = tok->text;
			tok->text = NULL;
		}
		last_line = lx->line;
		r = next_token(rd, lx, tok);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * Lines until the end of the file, or until the '}' that closes open.
 * Each line is appended at *tail.
 */
static int parse_lines(struct reader *rd, struct lexer *lx,
		       unsigned int depth, const struct token *open,
		       struct cf_line ***tail)
{
	for (;;) {
		struct cf_node *nodes = NULL;
		struct cf_line *line;
		struct token tok;
		int r;

		r = next_token(rd, lx, &tok);
		if (r < 0)
			return r;
		if (tok.kind == TOKEN_EOF) {
			if (open)
				return fail_at(rd, lx->file, open->line,
					       "'{' without its '}'");
			return 0;
		}
		if (tok.kind == TOKEN_CLOSE) {
			if (open)
				return 0;
			return fail_at(rd, lx->file, tok.line,
				       "'}' without its '{'");
		}
		r = parse_nodes(rd, lx, depth, &tok, &nodes);
		if (r < 0) {
			free_nodes(nodes);
			return r;
		}
		if (!nodes)
			continue;	/* an empty line: just ';' */
		if (nodes->kind == CF_WORD && strcmp(nodes->text, "include") == 0) {
			r = include_file(rd, lx, nodes, depth, tail);
			free_nodes(nodes);
			if (r < 0)
				return r;
			continue;
		}
		line = calloc(1, sizeof(*line));
		if (!line) {
			free_nodes(nodes);
			return fail_at(rd, lx->file, tok.line, "out of memory");
		}
		line->nodes = nodes;
		**tail = line;
		*tail = &line->next;
	}
}

static int parse_file(struct reader *rd, const char *path,
		      unsigned int depth, struct cf_line ***tail,
		      const struct cf_node *included_at)
{
	const char *why;
	struct lexer lx;
	size_t len = 0;
	char *text = NULL;
	int r;

	r = read_text(path, &text, &len, &why);
	if (r < 0) {
		if (included_at)
			return cf_error(rd->err, rd->errlen, included_at,
					"include: cannot read '%s': %s", path,
					read_reason(r, why));
		snprintf(rd->err, rd->errlen, "cannot read '%s': %s", path,
			 read_reason(r, why));
		return r;
	}
	lx.file = keep_path(rd->tree, path);
	if (!lx.file) {
		free(text);
		snprintf(rd->err, rd->errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	lx.pos = text;
	lx.end = text + len;
	lx.line = 1;
	r = parse_lines(rd, &lx, depth, NULL, tail);
	free(text);
	return r;
}

int cf_read(const char *path, struct cf_tree *tree, char *err, size_t errlen)
{
	struct reader rd = {
		.tree = tree,
		.err = err,
		.errlen = errlen,
	};
	struct cf_line **tail = &tree->lines;
	int r;

	tree->lines = NULL;
	tree->paths = NULL;
	err[0] = '\0';
	r = parse_file(&rd, path, 0, &tail, NULL);
	if (r < 0) {
		free_lines(tree->lines);
		tree->lines = NULL;
	}
	return r;
}
