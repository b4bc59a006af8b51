// SPDX-License-Identifier: MIT
/*
 * rs-daemon: system.conf. The grammar (configfile.c), every keyword and its
 * errors with their line numbers, include and class, the default file
 * order, boot entries, control lists and send masks. Files are written to
 * a fresh directory per test; users come from a fake passwd.
 */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mxsys.h>

#include "scratch_dir.h"
#include "../../servers/rs/config.h"

static char dir[64];
static char err[RS_CONFIG_ERRLEN];
static struct rs_config cfg;

#define MAX_WARNINGS 8
static char warnings[MAX_WARNINGS][RS_CONFIG_ERRLEN];
static unsigned int nr_warnings;

/* ---- a fake environment --------------------------------------------------- */

static int fake_by_name(const char *name, uid_t *uid, gid_t *gid)
{
	if (strcmp(name, "svc") == 0) {
		*uid = 1000;
		*gid = 1001;
		return 0;
	}
	if (strcmp(name, "nobody") == 0) {
		*uid = 65534;
		*gid = 65534;
		return 0;
	}
	return -ENOENT;
}

static int fake_by_uid(uid_t uid, gid_t *gid)
{
	if (uid == 1000) {
		*gid = 1001;
		return 0;
	}
	if (uid == 0) {
		*gid = 0;
		return 0;
	}
	return -ENOENT;
}

static void fake_warn(const char *message)
{
	if (nr_warnings < MAX_WARNINGS)
		snprintf(warnings[nr_warnings], sizeof(warnings[0]), "%s",
			 message);
	nr_warnings++;
}

static char conf_path[128], conf_d_path[128];

static const struct rs_config_env env = {
	.user_by_name = fake_by_name,
	.user_by_uid = fake_by_uid,
	.warn = fake_warn,
	.system_conf = conf_path,
	.system_conf_d = conf_d_path,
	.clk_tck = 100,
};

/* ---- files ---------------------------------------------------------------- */

static void setup(void)
{
	scratch_dir_create(dir, sizeof(dir), "test_rs_config");
	snprintf(conf_path, sizeof(conf_path), "%s/system.conf", dir);
	snprintf(conf_d_path, sizeof(conf_d_path), "%s/system.conf.d", dir);
	nr_warnings = 0;
	memset(err, 0, sizeof(err));
}

static void teardown(void)
{
	scratch_dir_remove(dir);
}

/* dir/name (static buffer: one at a time). */
static const char *in_dir(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void write_file(const char *name, const char *text)
{
	FILE *f = fopen(in_dir(name), "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

static void make_dir(const char *name)
{
	ck_assert_int_eq(mkdir(in_dir(name), 0755), 0);
}

/* Load progname from system.conf holding text. */
static int load(const char *text, const char *progname)
{
	write_file("system.conf", text);
	return rs_config_load_env(&env, conf_path, progname, &cfg, err);
}

/* The whole error message, "dir/file:line: message". */
__attribute__((format(printf, 3, 4)))
static void assert_error_at(const char *file, unsigned int line,
			    const char *fmt, ...)
{
	char want[1024], message[RS_CONFIG_ERRLEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	snprintf(want, sizeof(want), "%s/%s:%u: %s", dir, file, line, message);
	ck_assert_str_eq(err, want);
}

/*
 * Loading `hello` from text fails at system.conf:line with message (NULL:
 * the caller checks the message).
 */
static void expect_error(const char *text, unsigned int line,
			 const char *message)
{
	ck_assert_int_eq(load(text, "hello"), -EINVAL);
	if (message)
		assert_error_at("system.conf", line, "%s", message);
	ck_assert(!cfg.found);
}

/* Load `hello` whose block is body: must succeed. */
static void load_body(const char *body)
{
	char text[4096];
	int r;

	snprintf(text, sizeof(text), "service hello {\n%s\n};\n", body);
	r = load(text, "hello");
	ck_assert_msg(r == 0, "load failed: %d %s", r, err);
	ck_assert(cfg.found);
}

/* The block body fails on its line (line 2 = the body's first). */
static void body_error(const char *body, unsigned int line,
		       const char *message)
{
	char text[4096];

	snprintf(text, sizeof(text), "service hello {\n%s\n};\n", body);
	expect_error(text, line, message);
}

static const struct rs_config_limit *find_limit(int resource)
{
	for (unsigned int i = 0; i < cfg.nr_limits; i++)
		if (cfg.limits[i].resource == resource)
			return &cfg.limits[i];
	return NULL;
}

/* ---- defaults ------------------------------------------------------------- */

static void assert_defaults(const char *progname)
{
	ck_assert_str_eq(cfg.progname, progname);
	ck_assert_uint_eq(cfg.uid, 0);
	ck_assert_uint_eq(cfg.gid, 0);
	ck_assert(!cfg.uid_self);
	ck_assert_uint_eq(cfg.call_mask, MXSYS_KC_BASIC);
	ck_assert_int_eq(cfg.ipc_kind, RS_IPC_ALL_SYS);
	ck_assert_uint_eq(cfg.nr_ipc, 0);
	ck_assert_uint_eq(cfg.nr_control, 0);
	ck_assert_str_eq(cfg.sigmgr, "");
	ck_assert(!cfg.caps_set);
	ck_assert_uint_eq(cfg.nr_limits, 0);
	ck_assert(!cfg.nice_set);
	ck_assert_int_eq(cfg.cpu, -1);
	ck_assert(!cfg.boot);
	ck_assert_str_eq(cfg.binary, "");
	ck_assert_str_eq(cfg.args, "");
	ck_assert_uint_eq(cfg.period_ms, 0);
	ck_assert_str_eq(cfg.script, "");
}

START_TEST(defaults)
{
	memset(&cfg, 0x5a, sizeof(cfg));
	rs_config_defaults(&cfg, "hello");
	assert_defaults("hello");
	ck_assert(!cfg.found);
}
END_TEST

START_TEST(empty_entry_has_defaults)
{
	ck_assert_int_eq(load("service hello { };\n", "hello"), 0);
	ck_assert(cfg.found);
	assert_defaults("hello");
	ck_assert_str_eq(err, "");
}
END_TEST

/* ---- grammar -------------------------------------------------------------- */

START_TEST(comments_and_empty_lines)
{
	ck_assert_int_eq(load("# a comment\n"
			      ";;\n"
			      "service hello # after a word\n"
			      "{\n"
			      "\t# inside\n"
			      "\tuid 7;   # trailing\n"
			      "\t;\n"
			      "\tsigmgr a#b;\n"
			      "};\n"
			      "# last line without newline", "hello"), 0);
	ck_assert_uint_eq(cfg.uid, 7);
	/* '#' inside a word is part of it. */
	ck_assert_str_eq(cfg.sigmgr, "a#b");
}
END_TEST

START_TEST(layout_is_free)
{
	ck_assert_int_eq(load("service\nhello{uid\n7\n;ipc ALL;}\n;", "hello"), 0);
	ck_assert_uint_eq(cfg.uid, 7);
	ck_assert_int_eq(cfg.ipc_kind, RS_IPC_ALL);
}
END_TEST

START_TEST(word_characters_all)
{
	load_body("binary /a-b_c.d/x+y=z~!$%&*<>?[\\]^|:#;");
	ck_assert_str_eq(cfg.binary, "/a-b_c.d/x+y=z~!$%&*<>?[\\]^|:#");
}
END_TEST

START_TEST(unexpected_characters)
{
	body_error("uid 0,;", 2, "unexpected character ','");
	body_error("uid 7;\nipc @x;", 3, "unexpected character '@'");
	body_error("uid \x01;", 2, "unexpected character '\\x01'");
	body_error("args \"a\";\nuid (0);", 3, "unexpected character '('");
}
END_TEST

START_TEST(strings_and_escapes)
{
	load_body("args \"-v \\\"quoted\\\" back\\\\slash 'single'\";");
	ck_assert_str_eq(cfg.args, "-v \"quoted\" back\\slash 'single'");
	load_body("args 'a \"b\" \\'c\\'';");
	ck_assert_str_eq(cfg.args, "a \"b\" 'c'");
	load_body("args \"tab\\there\\nnewline\";");
	ck_assert_str_eq(cfg.args, "tab\there\nnewline");
	/* A string may stand for a word. */
	load_body("uid \"7\"; ipc \"ALL\";");
	ck_assert_uint_eq(cfg.uid, 7);
	ck_assert_int_eq(cfg.ipc_kind, RS_IPC_ALL);
}
END_TEST

START_TEST(strings_count_lines)
{
	/* The string spans lines 2-4; the error is on line 5. */
	body_error("args \"a\nb\nc\";\nfrobnicate;", 5,
		   "unknown keyword 'frobnicate'");
	/* A backslash before a newline continues the line. */
	load_body("args \"a \\\nb\";");
	ck_assert_str_eq(cfg.args, "a b");
	body_error("args \"a \\\nb\";\nfrobnicate;", 4,
		   "unknown keyword 'frobnicate'");
}
END_TEST

START_TEST(unterminated_string)
{
	expect_error("service hello {\n\targs \"never\n\tclosed;\n};\n", 2,
		     "string without its closing \"");
	expect_error("service hello { args 'x };\n", 1,
		     "string without its closing '");
	expect_error("service hello { args \"x\\", 1,
		     "string without its closing \"");
}
END_TEST

START_TEST(missing_semicolon)
{
	expect_error("service hello {\n\tuid 0\n};\n", 3,
		     "missing ';' before '}'");
	expect_error("service hello {\n\tuid 0;\n}\n\n", 3,
		     "missing ';' at the end of the file");
	expect_error("service hello { uid 0; };\nservice x { }", 2,
		     "missing ';' at the end of the file");
}
END_TEST

START_TEST(unbalanced_braces)
{
	expect_error("service hello {\n\tuid 0;\n\n", 1, "'{' without its '}'");
	expect_error("service hello { uid 0; };\n};\n", 2, "'}' without its '{'");
	expect_error("service hello {\n{ { uid 0; };\n", 2, "'{' without its '}'");
}
END_TEST

START_TEST(deep_nesting_refused)
{
	char text[512] = "service hello ";

	for (int i = 0; i < 40; i++)
		strcat(text, "{");
	strcat(text, "\n");
	ck_assert_int_eq(load(text, "hello"), -EINVAL);
	assert_error_at("system.conf", 1, "'{' nested more than 32 deep");
}
END_TEST

START_TEST(top_level_shape)
{
	expect_error("\n\nuid 0;\n", 3, "expected 'service <name> { ... };'");
	expect_error("service hello;\n", 1, "expected 'service <name> { ... };'");
	expect_error("service { };\n", 1, "expected 'service <name> { ... };'");
	expect_error("service hello { } extra;\n", 1,
		     "expected 'service <name> { ... };'");
	expect_error("service a b { };\n", 1, "expected 'service <name> { ... };'");
	expect_error("\"service\" hello { };\n", 1,
		     "expected 'service <name> { ... };'");
	/* The whole file is checked, not only the entry asked for. */
	expect_error("service hello { };\nservice other;\n", 2,
		     "expected 'service <name> { ... };'");
}
END_TEST

START_TEST(entry_names)
{
	expect_error("service abcdefghijklmnop { };\n", 1,
		     "service: name 'abcdefghijklmnop' longer than 15 characters");
	expect_error("service \"\" { };\n", 1, "service: empty name");
	ck_assert_int_eq(load("service abcdefghijklmno { uid 3; };\n",
			      "abcdefghijklmno"), 0);
	ck_assert_uint_eq(cfg.uid, 3);
	/* A quoted name is a name. */
	ck_assert_int_eq(load("service \"hello\" { uid 4; };\n", "hello"), 0);
	ck_assert_uint_eq(cfg.uid, 4);
}
END_TEST

START_TEST(duplicate_entries)
{
	char want[1024];

	ck_assert_int_eq(load("service hello { };\n\nservice hello { };\n",
			      "hello"), -EINVAL);
	snprintf(want, sizeof(want),
		 "service 'hello' already defined at %s/system.conf:1", dir);
	assert_error_at("system.conf", 3, "%s", want);
}
END_TEST

START_TEST(entry_chosen_by_name)
{
	const char *text = "service a { uid 1; };\n"
			   "service hello { uid 2; };\n"
			   "service b { uid 3; };\n";

	ck_assert_int_eq(load(text, "hello"), 0);
	ck_assert_uint_eq(cfg.uid, 2);
	ck_assert_str_eq(cfg.progname, "hello");
	ck_assert_int_eq(load(text, "b"), 0);
	ck_assert_uint_eq(cfg.uid, 3);
}
END_TEST

START_TEST(entry_not_found)
{
	char want[1024];

	ck_assert_int_eq(load("service a { };\n", "hello"), -ENOENT);
	snprintf(want, sizeof(want), "service 'hello' not found in '%s'",
		 conf_path);
	ck_assert_str_eq(err, want);
	ck_assert(!cfg.found);
	assert_defaults("hello");
}
END_TEST

START_TEST(only_the_entry_is_interpreted)
{
	/* As MINIX: another entry's bad keyword does not matter. */
	ck_assert_int_eq(load("service a { frobnicate; };\n"
			      "service hello { uid 2; };\n", "hello"), 0);
	ck_assert_uint_eq(cfg.uid, 2);
}
END_TEST

START_TEST(file_errors)
{
	char want[1024];

	ck_assert_int_eq(rs_config_load_env(&env, in_dir("none"), "hello",
					    &cfg, err), -ENOENT);
	snprintf(want, sizeof(want),
		 "cannot read '%s/none': No such file or directory", dir);
	ck_assert_str_eq(err, want);

	ck_assert_int_eq(rs_config_load_env(&env, "/dev/null", "hello", &cfg,
					    err), -EINVAL);
	ck_assert_str_eq(err, "cannot read '/dev/null': not a regular file");

	ck_assert_int_eq(rs_config_load_env(&env, dir, "hello", &cfg, err),
			 -EISDIR);
}
END_TEST

START_TEST(large_file_refused)
{
	char *text = malloc(1200 * 1024);

	ck_assert_ptr_nonnull(text);
	memset(text, '#', 1200 * 1024 - 1);
	text[1200 * 1024 - 1] = '\0';
	ck_assert_int_eq(load(text, "hello"), -EFBIG);
	free(text);
	ck_assert_ptr_nonnull(strstr(err, "larger than 1 MiB"));
}
END_TEST

START_TEST(nul_byte_refused)
{
	FILE *f = fopen(conf_path, "w");

	ck_assert_ptr_nonnull(f);
	fwrite("service hello {\n\"a\0b\"; };\n", 1, 27, f);
	fclose(f);
	ck_assert_int_eq(rs_config_load_env(&env, conf_path, "hello", &cfg,
					    err), -EINVAL);
	assert_error_at("system.conf", 2, "NUL character in a string");

	f = fopen(conf_path, "w");
	ck_assert_ptr_nonnull(f);
	fwrite("service hello {\nuid\0 0; };\n", 1, 26, f);
	fclose(f);
	ck_assert_int_eq(rs_config_load_env(&env, conf_path, "hello", &cfg,
					    err), -EINVAL);
	assert_error_at("system.conf", 2, "unexpected character '\\x00'");
}
END_TEST

/* Random token soup: any verdict, but never a crash, hang or leak. */
START_TEST(random_input_never_crashes)
{
	static const char *const pieces[] = {
		"service", " hello", " x", "{", "}", ";", "\"", "'", "\\",
		"#", "\n", " ", "uid", "0", "ipc", "ALL", "class", "include",
		"limit", "nofile", "64", "capabilities", "cap_kill", "args",
		"\"s\"", "system", "KILL", "boot", "binary", "/b", "period",
		"5HZ", "control", "a", ",", "\t",
	};
	char text[512];

	srand(4);
	for (int round = 0; round < 2000; round++) {
		int len = rand() % 40;

		text[0] = '\0';
		for (int i = 0; i < len; i++)
			strcat(text, pieces[rand() % (sizeof(pieces) /
						      sizeof(pieces[0]))]);
		int r = load(text, "hello");
		ck_assert(r == 0 || r == -EINVAL || r == -ENOENT);
		ck_assert(r == 0 || err[0] != '\0');
	}
}
END_TEST

/* ---- include -------------------------------------------------------------- */

START_TEST(include_relative_and_nested)
{
	make_dir("sub");
	write_file("sub/a.conf", "service a { uid 1; };\ninclude \"b.conf\";\n");
	write_file("sub/b.conf", "service hello { uid 2; };\n");
	ck_assert_int_eq(load("include \"sub/a.conf\";\n", "hello"), 0);
	ck_assert_uint_eq(cfg.uid, 2);
	ck_assert_int_eq(load("include \"sub/a.conf\";\n", "a"), 0);
	ck_assert_uint_eq(cfg.uid, 1);
}
END_TEST

START_TEST(include_absolute)
{
	char text[512];

	write_file("other", "service hello { uid 9; };\n");
	snprintf(text, sizeof(text), "include '%s';\n", in_dir("other"));
	ck_assert_int_eq(load(text, "hello"), 0);
	ck_assert_uint_eq(cfg.uid, 9);
}
END_TEST

START_TEST(include_inside_a_block)
{
	write_file("common", "ipc NONE;\nuid 5;\n");
	ck_assert_int_eq(load("service hello {\n"
			      "\tinclude \"common\";\n"
			      "\tuid 6;\n"
			      "};\n", "hello"), 0);
	ck_assert_int_eq(cfg.ipc_kind, RS_IPC_NONE);
	ck_assert_uint_eq(cfg.uid, 6);
}
END_TEST

START_TEST(include_errors)
{
	char message[RS_CONFIG_ERRLEN];

	expect_error("\ninclude \"missing\";\n", 2, NULL);
	snprintf(message, sizeof(message),
		 "include: cannot read '%s/missing': No such file or directory",
		 dir);
	assert_error_at("system.conf", 2, "%s", message);

	expect_error("include missing;\n", 1,
		     "include: expected one quoted file name");
	expect_error("include;\n", 1, "include: expected one quoted file name");
	expect_error("include \"a\" \"b\";\n", 1,
		     "include: expected one quoted file name");
	expect_error("include \"\";\n", 1, "include: empty file name");

	make_dir("d");
	expect_error("include \"d\";\n", 1, NULL);
	snprintf(message, sizeof(message),
		 "include: cannot read '%s/d': Is a directory", dir);
	assert_error_at("system.conf", 1, "%s", message);
}
END_TEST

START_TEST(include_error_names_the_included_file)
{
	write_file("part", "service hello {\n\tuid 0;\n\tbogus;\n};\n");
	ck_assert_int_eq(load("include \"part\";\n", "hello"), -EINVAL);
	assert_error_at("part", 3, "unknown keyword 'bogus'");

	write_file("part", "\n\nservice hello { uid 0 };\n");
	ck_assert_int_eq(load("include \"part\";\n", "hello"), -EINVAL);
	assert_error_at("part", 3, "missing ';' before '}'");

	/* An included file is a whole configfile: its braces balance. */
	write_file("part", "uid 0;\n};\n");
	ck_assert_int_eq(load("service hello {\ninclude \"part\";\n};\n",
			      "hello"), -EINVAL);
	assert_error_at("part", 2, "'}' without its '{'");
}
END_TEST

START_TEST(include_loop_refused)
{
	write_file("loop", "include \"loop\";\n");
	ck_assert_int_eq(load("include \"loop\";\n", "hello"), -EINVAL);
	assert_error_at("loop", 1, "include: nested more than 16 deep");
}
END_TEST

/* ---- class ---------------------------------------------------------------- */

START_TEST(class_includes_settings)
{
	const char *text =
		"service base { uid 5; ipc NONE; system KILL; control rs ds; };\n"
		"service hello { class base; uid 6; };\n"
		"service late { uid 6; class base; };\n";

	ck_assert_int_eq(load(text, "hello"), 0);
	ck_assert_uint_eq(cfg.uid, 6);	/* the entry's own setting wins */
	ck_assert_int_eq(cfg.ipc_kind, RS_IPC_NONE);
	ck_assert_uint_eq(cfg.call_mask, MXSYS_KC_BASIC |
			  (1ULL << MXSYS_KC_KILL));
	ck_assert_uint_eq(cfg.nr_control, 2);
	ck_assert_str_eq(cfg.progname, "hello");

	ck_assert_int_eq(load(text, "late"), 0);
	ck_assert_uint_eq(cfg.uid, 5);	/* the class came later */
}
END_TEST

START_TEST(class_several_and_nested)
{
	ck_assert_int_eq(load("service a { uid 1; class c; };\n"
			      "service b { cpu 2; };\n"
			      "service c { priority 7; };\n"
			      "service hello { class a b; };\n", "hello"), 0);
	ck_assert_uint_eq(cfg.uid, 1);
	ck_assert_int_eq(cfg.cpu, 2);
	ck_assert(cfg.nice_set);
}
END_TEST

START_TEST(class_errors)
{
	expect_error("service hello {\n\tclass nothere;\n};\n", 2,
		     "class: no service entry 'nothere'");
	expect_error("service hello {\n\tclass;\n};\n", 2,
		     "class: expects at least one value");
	/* The error in the class is reported where it is. */
	expect_error("service base {\n\tbogus;\n};\n"
		     "service hello { class base; };\n", 2,
		     "unknown keyword 'bogus'");
}
END_TEST

START_TEST(class_recursion_limited)
{
	/* Depth 100 is reached in hello (even depths), line 3. */
	expect_error("service a { class hello; };\n"
		     "service hello {\n\tclass a;\n};\n", 3,
		     "class: nested more than 100 deep");
	expect_error("service hello { class hello; };\n", 1,
		     "class: nested more than 100 deep");
}
END_TEST

/* hello, then s1 .. s<depth> each naming the next as its class. */
static int load_class_chain(int depth)
{
	size_t size = (size_t)depth * 48 + 64;
	char *text = malloc(size);
	size_t len = 0;
	int r;

	ck_assert_ptr_nonnull(text);
	len += (size_t)snprintf(text + len, size - len,
				"service hello { class s1; };\n");
	for (int i = 1; i < depth; i++)
		len += (size_t)snprintf(text + len, size - len,
					"service s%d { class s%d; };\n", i,
					i + 1);
	snprintf(text + len, size - len, "service s%d { uid 42; };\n", depth);
	r = load(text, "hello");
	free(text);
	return r;
}

START_TEST(class_depth_100_allowed)
{
	ck_assert_int_eq(load_class_chain(100), 0);
	ck_assert_uint_eq(cfg.uid, 42);
	ck_assert_int_eq(load_class_chain(101), -EINVAL);
	assert_error_at("system.conf", 101, "class: nested more than 100 deep");
}
END_TEST

/* ---- keywords ------------------------------------------------------------- */

START_TEST(keyword_errors)
{
	body_error("uid 0;\nfrobnicate 1 2;", 3, "unknown keyword 'frobnicate'");
	body_error("\"uid\" 0;", 2, "expected a keyword, not a string");
	body_error("{ uid 0; };", 2, "expected a keyword, not '{'");
	body_error("ipc { a; };", 2, "ipc: unexpected '{'");
	body_error("uid;", 2, "uid: expects one value, not 0");
	body_error("uid\n1\n2;", 4, "uid: expects one value, not 2");
	body_error("boot now;", 2, "boot: takes no value");
	body_error("limit nofile;", 2, "limit: expects 2 to 3 values, not 1");
	body_error("limit\nnofile 1 2\n3;", 4,
		   "limit: expects 2 to 3 values, not 4");
	/* Keywords are case-sensitive, as MINIX's. */
	body_error("UID 0;", 2, "unknown keyword 'UID'");
}
END_TEST

START_TEST(too_many_values)
{
	char body[2048] = "system";

	for (int i = 0; i < 129; i++)
		strcat(body, " KILL");
	strcat(body, ";");
	body_error(body, 2, "system: more than 128 values");
}
END_TEST

START_TEST(uid_values)
{
	load_body("uid 1000;");
	ck_assert_uint_eq(cfg.uid, 1000);
	ck_assert_uint_eq(cfg.gid, 1001);	/* its passwd entry's group */
	load_body("uid 4321;");
	ck_assert_uint_eq(cfg.uid, 4321);
	ck_assert_uint_eq(cfg.gid, 4321);	/* no entry: the number */
	load_body("uid svc;");
	ck_assert_uint_eq(cfg.uid, 1000);
	ck_assert_uint_eq(cfg.gid, 1001);
	load_body("uid nobody;");
	ck_assert_uint_eq(cfg.uid, 65534);
	ck_assert_uint_eq(cfg.gid, 65534);
	load_body("uid 0;");
	ck_assert_uint_eq(cfg.uid, 0);
	ck_assert_uint_eq(cfg.gid, 0);
	load_body("uid 4294967294;");
	ck_assert_uint_eq(cfg.uid, 4294967294u);
	load_body("uid SELF;");
	ck_assert(cfg.uid_self);
	/* Never root before RS has resolved it. */
	ck_assert_uint_eq(cfg.uid, RS_CONFIG_UID_UNRESOLVED);
	ck_assert_uint_eq(cfg.gid, RS_CONFIG_UID_UNRESOLVED);
	load_body("uid SELF; uid 3;");
	ck_assert(!cfg.uid_self);
	ck_assert_uint_eq(cfg.uid, 3);

	body_error("uid nosuchuser;", 2, "uid: unknown user 'nosuchuser'");
	/* (uid_t)-1 is no uid: read as a name. */
	body_error("uid 4294967295;", 2, "uid: unknown user '4294967295'");
	body_error("uid -1;", 2, "uid: unknown user '-1'");
}
END_TEST

START_TEST(uid_self_resolved_by_rs)
{
	load_body("uid SELF;");
	/* A uid no passwd has: its group is its number. */
	rs_config_resolve_self(&cfg, 3999999999u);
	ck_assert_uint_eq(cfg.uid, 3999999999u);
	ck_assert_uint_eq(cfg.gid, 3999999999u);

	load_body("uid 7;");
	rs_config_resolve_self(&cfg, 3999999999u);
	ck_assert_uint_eq(cfg.uid, 7);
}
END_TEST

START_TEST(ipc_values)
{
	load_body("ipc ALL;");
	ck_assert_int_eq(cfg.ipc_kind, RS_IPC_ALL);
	load_body("ipc ALL_SYS;");
	ck_assert_int_eq(cfg.ipc_kind, RS_IPC_ALL_SYS);
	load_body("ipc NONE;");
	ck_assert_int_eq(cfg.ipc_kind, RS_IPC_NONE);
	load_body("ipc SYSTEM pm rs\n\tlog tty ds pm USER vm;");
	ck_assert_int_eq(cfg.ipc_kind, RS_IPC_LIST);
	ck_assert_uint_eq(cfg.nr_ipc, 6);	/* SYSTEM, USER, 2nd pm: out */
	ck_assert_str_eq(cfg.ipc[0], "pm");
	ck_assert_str_eq(cfg.ipc[1], "rs");
	ck_assert_str_eq(cfg.ipc[5], "vm");
	load_body("ipc SYSTEM;");
	ck_assert_int_eq(cfg.ipc_kind, RS_IPC_LIST);
	ck_assert_uint_eq(cfg.nr_ipc, 0);
	/* A later ipc replaces an earlier one. */
	load_body("ipc a b; ipc c;");
	ck_assert_uint_eq(cfg.nr_ipc, 1);
	ck_assert_str_eq(cfg.ipc[0], "c");

	body_error("ipc;", 2, "ipc: expects at least one value");
	body_error("ipc pm\nALL;", 3,
		   "ipc: ALL cannot be combined with other names");
	body_error("ipc NONE pm;", 2,
		   "ipc: NONE cannot be combined with other names");
	body_error("ipc abcdefghijklmnop;", 2,
		   "ipc: name 'abcdefghijklmnop' longer than 15 characters");
}
END_TEST

START_TEST(ipc_at_most_64_names)
{
	char body[2048] = "ipc";

	for (int i = 0; i < 64; i++)
		sprintf(body + strlen(body), " n%d", i);
	strcat(body, ";");
	load_body(body);
	ck_assert_uint_eq(cfg.nr_ipc, 64);
	strcpy(body + strlen(body) - 1, "\nn64;");
	body_error(body, 3, "ipc: more than 64 names");
}
END_TEST

START_TEST(system_values)
{
	const uint64_t basic = MXSYS_KC_BASIC;

	load_body("uid 0;");
	ck_assert_uint_eq(cfg.call_mask, basic);
	load_body("system;");
	ck_assert_uint_eq(cfg.call_mask, basic);
	load_body("system BASIC;");
	ck_assert_uint_eq(cfg.call_mask, basic);
	load_body("system ALL;");
	ck_assert_uint_eq(cfg.call_mask, MXSYS_KC_ALL);
	load_body("system NONE;");
	ck_assert_uint_eq(cfg.call_mask, 0);
	load_body("system NONE KILL;");
	ck_assert_uint_eq(cfg.call_mask, 1ULL << MXSYS_KC_KILL);
	load_body("system PRIVCTL KILL UPDATE CLEAR GETKSIG ENDKSIG;");
	ck_assert_uint_eq(cfg.call_mask, basic |
			  (1ULL << MXSYS_KC_PRIVCTL) |
			  (1ULL << MXSYS_KC_KILL) |
			  (1ULL << MXSYS_KC_UPDATE) |
			  (1ULL << MXSYS_KC_CLEAR) |
			  (1ULL << MXSYS_KC_GETKSIG) |
			  (1ULL << MXSYS_KC_ENDKSIG));
	load_body("system NONE SETALARM SAFECOPYFROM SAFECOPYTO SETGRANT EXIT FDSTORE;");
	ck_assert_uint_eq(cfg.call_mask, basic);
	ck_assert_uint_eq(nr_warnings, 0);
}
END_TEST

START_TEST(system_minix_names_warn)
{
	char want[1024];

	load_body("system\n\tIRQCTL\t# 19\n\tDEVIO\n\tFROB\n\tKILL;");
	ck_assert_uint_eq(cfg.call_mask, MXSYS_KC_BASIC |
			  (1ULL << MXSYS_KC_KILL));
	ck_assert_uint_eq(nr_warnings, 3);
	snprintf(want, sizeof(want),
		 "%s:3: system: IRQCTL has no meaning on Linux, ignored",
		 conf_path);
	ck_assert_str_eq(warnings[0], want);
	snprintf(want, sizeof(want),
		 "%s:4: system: DEVIO has no meaning on Linux, ignored",
		 conf_path);
	ck_assert_str_eq(warnings[1], want);
	snprintf(want, sizeof(want),
		 "%s:5: system: unknown kernel call 'FROB', ignored",
		 conf_path);
	ck_assert_str_eq(warnings[2], want);
}
END_TEST

START_TEST(sigmgr_values)
{
	load_body("sigmgr SELF;");
	ck_assert_str_eq(cfg.sigmgr, "SELF");
	load_body("sigmgr ds;");
	ck_assert_str_eq(cfg.sigmgr, "ds");
	body_error("sigmgr a b;", 2, "sigmgr: expects one value, not 2");
	body_error("sigmgr abcdefghijklmnop;", 2,
		   "sigmgr: name 'abcdefghijklmnop' longer than 15 characters");
}
END_TEST

START_TEST(control_values)
{
	load_body("control a b c d e f g h;");
	ck_assert_uint_eq(cfg.nr_control, 8);
	ck_assert_str_eq(cfg.control[7], "h");
	ck_assert(rs_config_controls(&cfg, "a"));
	ck_assert(rs_config_controls(&cfg, "h"));
	ck_assert(!rs_config_controls(&cfg, "i"));
	ck_assert(!rs_config_controls(&cfg, ""));
	load_body("control;");
	ck_assert_uint_eq(cfg.nr_control, 0);
	ck_assert(!rs_config_controls(&cfg, "a"));
	body_error("control a b c d e f g h\n\ti;", 3,
		   "control: more than 8 names");
	body_error("control abcdefghijklmnop;", 2,
		   "control: name 'abcdefghijklmnop' longer than 15 characters");
}
END_TEST

START_TEST(priority_maps_to_nice)
{
	static const int nice_of[16] = {
		-17, -15, -12, -10, -7, -5, -2, 0,
		2, 5, 7, 10, 12, 15, 17, 19,
	};
	char body[32];

	for (int q = 0; q < 16; q++) {
		snprintf(body, sizeof(body), "priority %d;", q);
		load_body(body);
		ck_assert(cfg.nice_set);
		ck_assert_int_eq(cfg.nice, nice_of[q]);
	}
	body_error("priority 16;", 2, "priority: '16' is not a queue 0..15");
	body_error("priority -1;", 2, "priority: '-1' is not a queue 0..15");
	body_error("priority high;", 2, "priority: 'high' is not a queue 0..15");
}
END_TEST

START_TEST(cpu_values)
{
	load_body("cpu 3;");
	ck_assert_int_eq(cfg.cpu, 3);
	load_body("cpu BSP;");
	ck_assert_int_eq(cfg.cpu, 0);
	load_body("cpu 3; cpu default;");
	ck_assert_int_eq(cfg.cpu, -1);
	load_body("cpu 1023;");
	ck_assert_int_eq(cfg.cpu, 1023);
	body_error("cpu 1024;", 2, "cpu: '1024' is not a CPU number, BSP or default");
	body_error("cpu any;", 2, "cpu: 'any' is not a CPU number, BSP or default");
}
END_TEST

START_TEST(ignored_keywords)
{
	load_body("scheduler KERNEL;\n"
		  "quantum 500;\n"
		  "vm BASIC;\n"
		  "io 1f0:8 3f6 NONE;\n"
		  "irq 14 15;\n"
		  "pci device 8086:1234/1af4:1100;\n"
		  "pci class 2/0/0;\n"
		  "type net;\n"
		  "descr \"an example driver\";\n"
		  "domain INET INET6;\n"
		  "io;");
	assert_defaults("hello");
}
END_TEST

START_TEST(capabilities_values)
{
	load_body("capabilities cap_net_admin CAP_KILL 21;");
	ck_assert(cfg.caps_set);
	ck_assert_uint_eq(cfg.caps, (1ULL << 12) | (1ULL << 5) | (1ULL << 21));
	load_body("capabilities NONE;");
	ck_assert(cfg.caps_set);
	ck_assert_uint_eq(cfg.caps, 0);
	load_body("capabilities ALL;");
	ck_assert(cfg.caps_set);
	ck_assert_uint_eq(cfg.caps, ~0ULL);

	body_error("capabilities;", 2, "capabilities: expects at least one value");
	body_error("capabilities cap_kill\n\tcap_frobnicate;", 3,
		   "capabilities: unknown capability 'cap_frobnicate'");
	body_error("capabilities 64;", 2, "capabilities: unknown capability '64'");
	body_error("capabilities cap_kill ALL;", 2,
		   "capabilities: ALL cannot be combined with other names");
	body_error("capabilities NONE cap_kill;", 2,
		   "capabilities: NONE cannot be combined with other names");
}
END_TEST

START_TEST(limit_names_and_values)
{
	static const struct {
		const char *name;
		int resource;
	} names[] = {
		{ "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC },
		{ "as", RLIMIT_AS }, { "data", RLIMIT_DATA },
		{ "stack", RLIMIT_STACK }, { "core", RLIMIT_CORE },
		{ "cpu", RLIMIT_CPU }, { "memlock", RLIMIT_MEMLOCK },
		{ "fsize", RLIMIT_FSIZE }, { "rss", RLIMIT_RSS },
	};
	const struct rs_config_limit *l;
	char body[1024] = "";

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		sprintf(body + strlen(body), "limit %s %zu;\n", names[i].name,
			i + 1);
	load_body(body);
	ck_assert_uint_eq(cfg.nr_limits, 10);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		l = find_limit(names[i].resource);
		ck_assert_ptr_nonnull(l);
		ck_assert_uint_eq(l->limit.rlim_cur, i + 1);
		ck_assert_uint_eq(l->limit.rlim_max, i + 1);
	}

	load_body("limit as 64M 128M; limit stack 8K unlimited; "
		  "limit data 2G 2G; limit core unlimited;");
	l = find_limit(RLIMIT_AS);
	ck_assert_uint_eq(l->limit.rlim_cur, 64ULL << 20);
	ck_assert_uint_eq(l->limit.rlim_max, 128ULL << 20);
	l = find_limit(RLIMIT_STACK);
	ck_assert_uint_eq(l->limit.rlim_cur, 8ULL << 10);
	ck_assert_uint_eq(l->limit.rlim_max, RLIM_INFINITY);
	l = find_limit(RLIMIT_DATA);
	ck_assert_uint_eq(l->limit.rlim_cur, 2ULL << 30);
	l = find_limit(RLIMIT_CORE);
	ck_assert_uint_eq(l->limit.rlim_cur, RLIM_INFINITY);
	ck_assert_uint_eq(l->limit.rlim_max, RLIM_INFINITY);

	/* The same limit again replaces it. */
	load_body("limit nofile 64; limit nofile 32 128;");
	ck_assert_uint_eq(cfg.nr_limits, 1);
	l = find_limit(RLIMIT_NOFILE);
	ck_assert_uint_eq(l->limit.rlim_cur, 32);
	ck_assert_uint_eq(l->limit.rlim_max, 128);
}
END_TEST

START_TEST(limit_errors)
{
	body_error("limit files 64;", 2,
		   "limit: unknown limit 'files' (nofile nproc as data stack core cpu memlock fsize rss)");
	body_error("limit nofile\n\t12X;", 3,
		   "limit nofile: '12X' is not a number (with K, M or G) or unlimited");
	body_error("limit nofile -1;", 2,
		   "limit nofile: '-1' is not a number (with K, M or G) or unlimited");
	body_error("limit nofile K;", 2,
		   "limit nofile: 'K' is not a number (with K, M or G) or unlimited");
	body_error("limit nofile 64k;", 2,
		   "limit nofile: '64k' is not a number (with K, M or G) or unlimited");
	body_error("limit as 99999999999999G;", 2,
		   "limit as: '99999999999999G' is not a number (with K, M or G) or unlimited");
	body_error("limit as 18446744073709551615;", 2,
		   "limit as: '18446744073709551615' is not a number (with K, M or G) or unlimited");
	body_error("limit nofile 128 64;", 2,
		   "limit nofile: the soft limit is above the hard limit");
	body_error("limit nofile unlimited 64;", 2,
		   "limit nofile: the soft limit is above the hard limit");
}
END_TEST

START_TEST(boot_keywords)
{
	load_body("boot;\n"
		  "binary /usr/libexec/mxsys/hello;\n"
		  "args \"-v  two\";\n"
		  "period 5HZ;\n"
		  "script /etc/minix/rs.single;\n"
		  "standby;");
	ck_assert(cfg.boot);
	ck_assert(cfg.standby);
	ck_assert_str_eq(cfg.binary, "/usr/libexec/mxsys/hello");
	ck_assert_str_eq(cfg.args, "-v  two");
	ck_assert_uint_eq(cfg.period_ms, 5000);
	ck_assert_str_eq(cfg.script, "/etc/minix/rs.single");
	load_body("period 5s;");
	ck_assert_uint_eq(cfg.period_ms, 5000);
	ck_assert(!cfg.standby);
	load_body("period 250ms;");
	ck_assert_uint_eq(cfg.period_ms, 250);
	load_body("period 30;");	/* ticks of clk_tck (100 here) */
	ck_assert_uint_eq(cfg.period_ms, 300);
	load_body("args \"1 2 3 4 5 6 7 8 9 10\";");

	body_error("binary hello;", 2, "binary: 'hello' is not an absolute path");
	body_error("script rs.single;", 2,
		   "script: 'rs.single' is not an absolute path");
	body_error("period 5sec;", 2,
		   "period: '5sec' is not a time (N ticks, Ns or NHZ seconds, or Nms)");
	body_error("period;", 2, "period: expects one value, not 0");
	body_error("args \"1 2 3 4 5 6 7 8 9 10 11\";", 2,
		   "args: more than 10 arguments");
	body_error("args a b;", 2, "args: expects one value, not 2");
	body_error("standby 1;", 2, "standby: takes no value");
}
END_TEST

START_TEST(long_values_refused)
{
	char body[1200];

	strcpy(body, "binary /");
	memset(body + 8, 'x', 600);
	strcpy(body + 608, ";");
	body_error(body, 2, "binary: path longer than 511 characters");
	strcpy(body, "script /");
	memset(body + 8, 'x', 300);
	strcpy(body + 308, ";");
	body_error(body, 2, "script: path longer than 255 characters");
	strcpy(body, "args \"");
	memset(body + 6, 'x', 600);
	strcpy(body + 606, "\";");
	body_error(body, 2, "args: longer than 511 characters");
}
END_TEST

START_TEST(realistic_minix_entry)
{
	/* [3.1.8] etc/system.conf's hello, plus a Linux part. */
	ck_assert_int_eq(load(
		"service hello\n"
		"{\n"
		"        system\n"
		"                IRQCTL          # 19\n"
		"                DEVIO           # 21\n"
		"        ;\n"
		"        ipc\n"
		"                SYSTEM pm rs log tty ds vm vfs\n"
		"                pci inet amddev\n"
		"                ;\n"
		"    uid 0;\n"
		"    capabilities NONE;\n"
		"    limit nofile 64;\n"
		"};\n", "hello"), 0);
	ck_assert_uint_eq(cfg.call_mask, MXSYS_KC_BASIC);
	ck_assert_uint_eq(nr_warnings, 2);
	ck_assert_uint_eq(cfg.nr_ipc, 10);
	ck_assert(cfg.caps_set);
	ck_assert_uint_eq(find_limit(RLIMIT_NOFILE)->limit.rlim_cur, 64);
}
END_TEST

/* ---- the default files ---------------------------------------------------- */

START_TEST(default_prefers_conf_d)
{
	make_dir("system.conf.d");
	write_file("system.conf.d/hello", "service hello { uid 1; };\n");
	write_file("system.conf", "service hello { uid 2; };\n");
	ck_assert_int_eq(rs_config_load_default_env(&env, "hello", &cfg, err), 0);
	ck_assert(cfg.found);
	ck_assert_uint_eq(cfg.uid, 1);
}
END_TEST

START_TEST(default_conf_d_file_must_hold_the_entry)
{
	char want[1024];

	make_dir("system.conf.d");
	write_file("system.conf.d/hello", "service other { };\n");
	write_file("system.conf", "service hello { uid 2; };\n");
	ck_assert_int_eq(rs_config_load_default_env(&env, "hello", &cfg, err),
			 -ENOENT);
	snprintf(want, sizeof(want), "service 'hello' not found in '%s/hello'",
		 conf_d_path);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(default_then_system_conf)
{
	make_dir("system.conf.d");
	write_file("system.conf.d/other", "service other { };\n");
	write_file("system.conf", "service hello { uid 2; };\n");
	ck_assert_int_eq(rs_config_load_default_env(&env, "hello", &cfg, err), 0);
	ck_assert(cfg.found);
	ck_assert_uint_eq(cfg.uid, 2);
	/* No system.conf.d directory at all: the same. */
	teardown();
	setup();
	write_file("system.conf", "service hello { uid 3; };\n");
	ck_assert_int_eq(rs_config_load_default_env(&env, "hello", &cfg, err), 0);
	ck_assert_uint_eq(cfg.uid, 3);
}
END_TEST

START_TEST(default_without_entry_or_files)
{
	ck_assert_int_eq(rs_config_load_default_env(&env, "hello", &cfg, err), 0);
	ck_assert(!cfg.found);
	assert_defaults("hello");
	ck_assert_str_eq(err, "");
	write_file("system.conf", "service other { uid 4; };\n");
	ck_assert_int_eq(rs_config_load_default_env(&env, "hello", &cfg, err), 0);
	ck_assert(!cfg.found);
	assert_defaults("hello");
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(default_errors_are_errors)
{
	write_file("system.conf", "service hello { frob; };\n");
	ck_assert_int_eq(rs_config_load_default_env(&env, "hello", &cfg, err),
			 -EINVAL);
	assert_error_at("system.conf", 1, "unknown keyword 'frob'");

	make_dir("system.conf.d");
	write_file("system.conf.d/hello", "service hello {\n uid x y; };\n");
	ck_assert_int_eq(rs_config_load_default_env(&env, "hello", &cfg, err),
			 -EINVAL);
	assert_error_at("system.conf.d/hello", 2, "uid: expects one value, not 2");
}
END_TEST

START_TEST(default_program_names_checked)
{
	ck_assert_int_eq(rs_config_load_default_env(&env, "../x", &cfg, err),
			 -EINVAL);
	ck_assert_int_eq(rs_config_load_default_env(&env, "..", &cfg, err),
			 -EINVAL);
	ck_assert_int_eq(rs_config_load_default_env(&env, ".", &cfg, err),
			 -EINVAL);
	ck_assert_int_eq(rs_config_load_default_env(&env, "", &cfg, err),
			 -EINVAL);
	ck_assert_int_eq(rs_config_load_default_env(&env, "abcdefghijklmnop",
						    &cfg, err), -EINVAL);
	ck_assert_str_eq(err, "invalid program name 'abcdefghijklmnop': 1 to 15 characters");
}
END_TEST

/* The files `make install` puts in /etc/minix (run from the top). */
START_TEST(shipped_files_load)
{
	struct rs_config boot[4];

	ck_assert_int_eq(rs_config_boot_services_env(&env, "etc/system.conf",
						     boot, 4, err), 0);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(rs_config_load_env(&env, "etc/system.conf", "ds",
					    &cfg, err), 0);
	ck_assert_uint_eq(cfg.uid, 0);
	ck_assert_int_eq(rs_config_load_env(&env, "etc/system.conf.d/hello",
					    "hello", &cfg, err), 0);
	ck_assert(cfg.caps_set);
	ck_assert_uint_eq(cfg.caps, 0);
	ck_assert_int_eq(cfg.ipc_kind, RS_IPC_LIST);
	ck_assert_uint_eq(cfg.nr_ipc, 1);
	ck_assert_str_eq(cfg.ipc[0], "ds");
	ck_assert_uint_eq(nr_warnings, 0);
}
END_TEST

/* ---- boot services -------------------------------------------------------- */

/* rs-daemon -t: system.conf, then each file of system.conf.d. */
START_TEST(check_file_and_conf_d)
{
	struct rs_config_check counts;

	/* No file: an error for a check, though RS runs without one. */
	ck_assert_int_eq(rs_config_check_env(&env, conf_path, &counts, err),
			 -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "cannot read"));

	write_file("system.conf", "service a\n{\n\tboot;\n"
		   "\tbinary /bin/true;\n};\nservice b { uid svc; };\n");
	ck_assert_int_eq(rs_config_check_env(&env, conf_path, &counts, err),
			 0);
	ck_assert_uint_eq(counts.boot_services, 1);
	ck_assert_uint_eq(counts.conf_d_files, 0);

	/* A bad non-boot entry is found too, with file:line. */
	write_file("system.conf", "service a\n{\n\tboot;\n"
		   "\tbinary /bin/true;\n};\nservice b\n{\n"
		   "\tuid nosuch;\n};\n");
	ck_assert_int_eq(rs_config_check_env(&env, conf_path, &counts, err),
			 -EINVAL);
	assert_error_at("system.conf", 8, "uid: unknown user 'nosuch'");

	/* system.conf.d: each file holds the entry named after it. */
	write_file("system.conf", "service a { uid svc; };\n");
	make_dir("system.conf.d");
	write_file("system.conf.d/.hidden", "junk {");
	write_file("system.conf.d/hello", "service hello { uid svc; };\n");
	ck_assert_int_eq(rs_config_check_env(&env, conf_path, &counts, err),
			 0);
	ck_assert_uint_eq(counts.boot_services, 0);
	ck_assert_uint_eq(counts.conf_d_files, 1);
	write_file("system.conf.d/other", "service hello { uid svc; };\n");
	ck_assert_int_eq(rs_config_check_env(&env, conf_path, &counts, err),
			 -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "'other' not found"));
	write_file("system.conf.d/other", "service other\n{\n\tperiod x;\n};\n");
	ck_assert_int_eq(rs_config_check_env(&env, conf_path, &counts, err),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "system.conf.d/other:3: "));
}
END_TEST

START_TEST(boot_services_in_file_order)
{
	struct rs_config boot[4];

	write_file("system.conf",
		   "service zeta { boot; binary /sbin/zeta; period 2HZ; };\n"
		   "service plain { uid 3; };\n"
		   "service base { uid 9; };\n"
		   "service alpha { class base; boot; binary /sbin/alpha;\n"
		   "\targs \"-x\"; script /bin/rec; };\n");
	ck_assert_int_eq(rs_config_boot_services_env(&env, conf_path, boot, 4,
						     err), 2);
	ck_assert_str_eq(boot[0].progname, "zeta");
	ck_assert(boot[0].found && boot[0].boot);
	ck_assert_uint_eq(boot[0].period_ms, 2000);
	ck_assert_str_eq(boot[1].progname, "alpha");
	ck_assert_str_eq(boot[1].binary, "/sbin/alpha");
	ck_assert_str_eq(boot[1].args, "-x");
	ck_assert_str_eq(boot[1].script, "/bin/rec");
	ck_assert_uint_eq(boot[1].uid, 9);
}
END_TEST

START_TEST(boot_services_errors)
{
	struct rs_config boot[1];

	ck_assert_int_eq(rs_config_boot_services_env(&env, in_dir("none"),
						     boot, 1, err), 0);
	ck_assert_str_eq(err, "");

	write_file("system.conf", "service a { };\n\nservice b { boot; };\n");
	ck_assert_int_eq(rs_config_boot_services_env(&env, conf_path, boot, 1,
						     err), -EINVAL);
	assert_error_at("system.conf", 3, "boot service 'b' has no binary");

	write_file("system.conf", "service a { boot; binary /a; };\n"
				  "service b { boot; binary /b; };\n");
	ck_assert_int_eq(rs_config_boot_services_env(&env, conf_path, boot, 1,
						     err), -EINVAL);
	assert_error_at("system.conf", 2, "more than 1 boot services");

	/* Every entry is checked, booted or not. */
	write_file("system.conf", "service a { boot; binary /a; };\n"
				  "service b {\n\tbogus; };\n");
	ck_assert_int_eq(rs_config_boot_services_env(&env, conf_path, boot, 1,
						     err), -EINVAL);
	assert_error_at("system.conf", 3, "unknown keyword 'bogus'");

	write_file("system.conf", "service a { boot; binary /a; }\n");
	ck_assert_int_eq(rs_config_boot_services_env(&env, conf_path, boot, 1,
						     err), -EINVAL);
	ck_assert_int_eq(rs_config_boot_services_env(&env, "/dev/null", boot,
						     1, err), -EINVAL);
}
END_TEST

/* ---- send masks ----------------------------------------------------------- */

static int fake_slot_of(const char *progname, void *arg)
{
	(void)arg;
	if (strcmp(progname, "a") == 0)
		return 10;
	if (strcmp(progname, "far") == 0)
		return 100;
	if (strcmp(progname, "beyond") == 0)
		return 1000;	/* outside the mask */
	return -1;		/* not running */
}

START_TEST(send_masks)
{
	uint64_t mask[2];

	load_body("ipc ALL;");
	rs_config_send_mask(&cfg, fake_slot_of, NULL, mask, 2);
	ck_assert_uint_eq(mask[0], ~0ULL);
	ck_assert_uint_eq(mask[1], ~0ULL);

	load_body("uid 0;");	/* ALL_SYS, the default */
	rs_config_send_mask(&cfg, fake_slot_of, NULL, mask, 2);
	ck_assert_uint_eq(mask[0], ~0ULL);
	ck_assert_uint_eq(mask[1], ~0ULL);

	load_body("ipc NONE;");
	rs_config_send_mask(&cfg, fake_slot_of, NULL, mask, 2);
	ck_assert_uint_eq(mask[0], 1ULL << MXSYS_RS_SLOT);
	ck_assert_uint_eq(mask[1], 0);

	load_body("ipc SYSTEM a stopped far beyond;");
	mask[0] = mask[1] = 0x1234;
	rs_config_send_mask(&cfg, fake_slot_of, NULL, mask, 2);
	ck_assert_uint_eq(mask[0], (1ULL << MXSYS_RS_SLOT) | (1ULL << 10));
	ck_assert_uint_eq(mask[1], 1ULL << (100 - 64));
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("rs_config");
	TCase *grammar = tcase_create("grammar");
	TCase *include = tcase_create("include");
	TCase *keywords = tcase_create("keywords");
	TCase *files = tcase_create("files");

	tcase_add_checked_fixture(grammar, setup, teardown);
	tcase_add_checked_fixture(include, setup, teardown);
	tcase_add_checked_fixture(keywords, setup, teardown);
	tcase_add_checked_fixture(files, setup, teardown);
	tcase_set_timeout(grammar, 60);

	tcase_add_test(grammar, defaults);
	tcase_add_test(grammar, empty_entry_has_defaults);
	tcase_add_test(grammar, comments_and_empty_lines);
	tcase_add_test(grammar, layout_is_free);
	tcase_add_test(grammar, word_characters_all);
	tcase_add_test(grammar, unexpected_characters);
	tcase_add_test(grammar, strings_and_escapes);
	tcase_add_test(grammar, strings_count_lines);
	tcase_add_test(grammar, unterminated_string);
	tcase_add_test(grammar, missing_semicolon);
	tcase_add_test(grammar, unbalanced_braces);
	tcase_add_test(grammar, deep_nesting_refused);
	tcase_add_test(grammar, top_level_shape);
	tcase_add_test(grammar, entry_names);
	tcase_add_test(grammar, duplicate_entries);
	tcase_add_test(grammar, entry_chosen_by_name);
	tcase_add_test(grammar, entry_not_found);
	tcase_add_test(grammar, only_the_entry_is_interpreted);
	tcase_add_test(grammar, file_errors);
	tcase_add_test(grammar, large_file_refused);
	tcase_add_test(grammar, nul_byte_refused);
	tcase_add_test(grammar, random_input_never_crashes);

	tcase_add_test(include, include_relative_and_nested);
	tcase_add_test(include, include_absolute);
	tcase_add_test(include, include_inside_a_block);
	tcase_add_test(include, include_errors);
	tcase_add_test(include, include_error_names_the_included_file);
	tcase_add_test(include, include_loop_refused);
	tcase_add_test(include, class_includes_settings);
	tcase_add_test(include, class_several_and_nested);
	tcase_add_test(include, class_errors);
	tcase_add_test(include, class_recursion_limited);
	tcase_add_test(include, class_depth_100_allowed);

	tcase_add_test(keywords, keyword_errors);
	tcase_add_test(keywords, too_many_values);
	tcase_add_test(keywords, uid_values);
	tcase_add_test(keywords, uid_self_resolved_by_rs);
	tcase_add_test(keywords, ipc_values);
	tcase_add_test(keywords, ipc_at_most_64_names);
	tcase_add_test(keywords, system_values);
	tcase_add_test(keywords, system_minix_names_warn);
	tcase_add_test(keywords, sigmgr_values);
	tcase_add_test(keywords, control_values);
	tcase_add_test(keywords, priority_maps_to_nice);
	tcase_add_test(keywords, cpu_values);
	tcase_add_test(keywords, ignored_keywords);
	tcase_add_test(keywords, capabilities_values);
	tcase_add_test(keywords, limit_names_and_values);
	tcase_add_test(keywords, limit_errors);
	tcase_add_test(keywords, boot_keywords);
	tcase_add_test(keywords, long_values_refused);
	tcase_add_test(keywords, realistic_minix_entry);

	tcase_add_test(files, default_prefers_conf_d);
	tcase_add_test(files, default_conf_d_file_must_hold_the_entry);
	tcase_add_test(files, default_then_system_conf);
	tcase_add_test(files, default_without_entry_or_files);
	tcase_add_test(files, default_errors_are_errors);
	tcase_add_test(files, default_program_names_checked);
	tcase_add_test(files, shipped_files_load);
	tcase_add_test(files, check_file_and_conf_d);
	tcase_add_test(files, boot_services_in_file_order);
	tcase_add_test(files, boot_services_errors);
	tcase_add_test(files, send_masks);

	suite_add_tcase(s, grammar);
	suite_add_tcase(s, include);
	suite_add_tcase(s, keywords);
	suite_add_tcase(s, files);
	return s;
}

int main(void)
{
	SRunner *runner = srunner_create(config_suite());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
