/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * server.c - `teilhabe serve`: the HTTP server.
 *
 * libmicrohttpd with an internal thread pool.  Each pool thread lazily
 * gets its own worker (web.h) through a pthread key.  Requests are GET or
 * HEAD only; URLs, argument counts and reply sizes are bounded; nothing
 * about a request (no IP, no query) is logged.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../src/cli/cli.h"
#include "kb_escape.h"
#include "preview.h"
#include "web.h"

static pthread_key_t worker_key;

static void worker_free(void *p) {
  worker *w = p;
  if (w == NULL)
    return;
  kb_searcher_close(w->searcher);
  kb_analyzer_free(w->an);
  kb_buf_release(&w->out);
  kb_buf_release(&w->scratch);
  free(w);
}

static worker *get_worker(void) {
  worker *w = pthread_getspecific(worker_key);
  if (w)
    return w;
  w = calloc(1, sizeof *w);
  if (w == NULL)
    return NULL;
  kb_buf_init(&w->out, WEB_MAX_BODY);
  kb_buf_init(&w->scratch, 64 * 1024);
  pthread_setspecific(worker_key, w);
  return w;
}

kb_searcher *web_searcher(worker *w, const server_config *cfg, char **err) {
  if (w->searcher == NULL) {
    if (kb_searcher_open(cfg->db, &w->searcher, err) != KB_OK)
      return NULL;
    return w->searcher;
  }
  /* Follow a re-index: a new generation or commit is picked up here, on
   * the next request, without a restart.  If the new one cannot be
   * opened, keep serving the old one. */
  kb_searcher_refresh(w->searcher, NULL, NULL);
  return w->searcher;
}

static void add_security_headers(struct MHD_Response *r) {
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(
      r, "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data:; style-src 'self'; "
      "script-src 'self'; object-src 'none'; base-uri 'none'; "
      "frame-ancestors 'none'; form-action 'self'");
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, worker *w,
                                  const reply *rep, bool head) {
  if (kb_buf_status(&w->out) != KB_OK) {
    kb_buf_reset(&w->out);
    kb_buf_adds(&w->out, "internal error: reply too large\n");
  }
  /* Copy out of the thread's reusable buffer: one memcpy instead of a
   * fresh allocation per request for building. */
  struct MHD_Response *r = MHD_create_response_from_buffer(
      head ? 0 : w->out.len, head ? (void *)"" : (void *)kb_buf_str(&w->out),
      MHD_RESPMEM_MUST_COPY);
  if (r == NULL)
    return MHD_NO;
  MHD_add_response_header(r, "Content-Type",
                          rep->content_type ? rep->content_type
                                            : "text/html; charset=utf-8");
  MHD_add_response_header(r, "Cache-Control",
                          rep->cache ? rep->cache : "no-store");
  if (rep->allow)
    MHD_add_response_header(r, "Allow", rep->allow);
  if (rep->location)
    MHD_add_response_header(r, "Location", rep->location);
  add_security_headers(r);
  enum MHD_Result ret = MHD_queue_response(conn, rep->status, r);
  MHD_destroy_response(r);
  return ret;
}

static bool starts_with(const char *s, const char *p) {
  return strncmp(s, p, strlen(p)) == 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn,
                              const char *url, const char *method,
                              const char *version, const char *upload_data,
                              size_t *upload_size, void **req_cls) {
  const server_config *cfg = cls;
  /* First call per request: headers only.  Answer on the second. */
  if (*req_cls == NULL) {
    *req_cls = (void *)1;
    return MHD_YES;
  }
  if (*upload_size) {
    *upload_size = 0; /* bodies are ignored: we only serve GET/HEAD */
    return MHD_YES;
  }
  worker *w = get_worker();
  if (w == NULL)
    return MHD_NO;
  kb_buf_reset(&w->out);
  kb_buf_reset(&w->scratch);
  reply rep = {.status = MHD_HTTP_OK};
  bool head = strcmp(method, "HEAD") == 0;
  bool api = starts_with(url, "/api/");

  if (!head && strcmp(method, "GET") != 0) {
    rep.allow = "GET, HEAD";
    if (api)
      api_error(w, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET is supported", &rep);
    else
      page_error(w, MHD_HTTP_METHOD_NOT_ALLOWED, "Methode nicht erlaubt",
                 "Diese Seite kann nur abgerufen werden.", &rep);
    return send_reply(conn, w, &rep, head);
  }
  if (strlen(url) > WEB_MAX_URL) {
    if (api)
      api_error(w, MHD_HTTP_URI_TOO_LONG, "the URL is too long", &rep);
    else
      page_error(w, MHD_HTTP_URI_TOO_LONG, "Adresse zu lang",
                 "Die Adresse ist zu lang. Bitte kürzen Sie die Suche.", &rep);
    return send_reply(conn, w, &rep, head);
  }

  if (strcmp(url, "/") == 0) {
    page_home(w, cfg, &rep);
  } else if (strcmp(url, "/suche") == 0) {
    page_search(conn, w, cfg, &rep);
  } else if (starts_with(url, "/artikel/")) {
    page_article_req(conn, w, cfg, url + strlen("/artikel/"), &rep);
  } else if (strcmp(url, "/static/style.css") == 0) {
    kb_buf_add(&w->out, web_style_css, web_style_css_len);
    rep.content_type = "text/css; charset=utf-8";
    rep.cache = "public, max-age=3600";
  } else if (strcmp(url, "/static/suggest.js") == 0) {
    kb_buf_add(&w->out, web_suggest_js, web_suggest_js_len);
    rep.content_type = "text/javascript; charset=utf-8";
    rep.cache = "public, max-age=3600";
  } else if (strcmp(url, "/feed.xml") == 0) {
    feed_atom(conn, w, cfg, &rep);
  } else if (strcmp(url, "/opensearch.xml") == 0) {
    feed_opensearch(conn, w, cfg, &rep);
  } else if (strcmp(url, "/sitemap.xml") == 0) {
    feed_sitemap(conn, w, cfg, &rep);
  } else if (strcmp(url, "/healthz") == 0) {
    char *err = NULL;
    if (web_searcher(w, cfg, &err)) {
      kb_buf_adds(&w->out, "ok\n");
    } else {
      rep.status = MHD_HTTP_SERVICE_UNAVAILABLE;
      kb_buf_adds(&w->out, "index unavailable\n");
    }
    free(err);
    rep.content_type = "text/plain; charset=utf-8";
  } else if (strcmp(url, "/vorschau") == 0 && cfg->corpus) {
    /* Preview only: the article saved last (the start page before). */
    char id[96];
    preview_last(id, sizeof id);
    kb_buf_adds(&w->scratch, id[0] ? "/artikel/" : "/");
    kb_url_encodes(&w->scratch, id);
    rep.status = MHD_HTTP_SEE_OTHER;
    rep.location = kb_buf_str(&w->scratch);
    rep.cache = "no-store";
    kb_buf_adds(&w->out, "Weiter zum zuletzt gespeicherten Artikel.\n");
    rep.content_type = "text/plain; charset=utf-8";
  } else if (strcmp(url, "/redaktion") == 0 && cfg->editorial) {
    page_editorial(w, cfg, &rep);
  } else if (strcmp(url, "/robots.txt") == 0) {
    kb_buf_adds(&w->out, "User-agent: *\nDisallow: /api/\n");
    rep.content_type = "text/plain; charset=utf-8";
  } else if (strcmp(url, "/api/search") == 0) {
    api_search(conn, w, cfg, &rep);
  } else if (strcmp(url, "/api/suggest") == 0) {
    api_suggest(conn, w, cfg, &rep);
  } else if (starts_with(url, "/api/articles/")) {
    api_article(w, cfg, url + strlen("/api/articles/"), &rep);
  } else if (api) {
    api_error(w, MHD_HTTP_NOT_FOUND, "no such API endpoint", &rep);
  } else {
    page_error(w, MHD_HTTP_NOT_FOUND, "Seite nicht gefunden",
               "Diese Adresse gibt es nicht. Vielleicht hilft die Suche "
               "weiter.",
               &rep);
  }
  return send_reply(conn, w, &rep, head);
}

static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  remove(path); /* best effort: keep going */
  return 0;
}

/* Removes a folder this process created, depth first, without following
 * links. */
static void remove_tree(const char *dir) {
  nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void help(FILE *out) {
  fprintf(out,
          "usage: teilhabe serve [--db DIR] [--bind ADDR] [--port N] "
          "[--threads N]\n\n"
          "Serves the search site and the JSON API.  A re-index is picked up "
          "on the\nnext request without a restart.  No request data (IP "
          "addresses, queries)\nis logged.\n\n"
          "  --db DIR      the index (default %s, or $TEILHABE_DB)\n"
          "  --bind ADDR   address to listen on (default 127.0.0.1; IPv6 "
          "allowed)\n"
          "  --port N      port (default 8080; 0 picks a free one and prints "
          "it)\n"
          "  --threads N   worker threads (default: number of CPUs)\n"
          "  --corpus DIR  live preview for librarians: index DIR into a "
          "private index\n                (or --db) and re-index on every "
          "saved change; /vorschau opens\n                the article saved "
          "last (the same as 'teilhabe preview DIR')\n"
          "  --base-url URL  the public address for absolute links in "
          "feeds and the\n"
          "                sitemap (default: from the Host header)\n"
          "  --editorial   serve the editorial report at /redaktion\n"
          "  --log-zero-results FILE\n"
          "                append queries that found nothing to FILE: the\n"
          "                normalised query and the day, nothing else\n",
          DEFAULT_DB);
}

int cmd_serve(int argc, char **argv) {
  server_config cfg = {.db = cli_default_db(),
                       .bind = "127.0.0.1",
                       .port = 8080,
                       .threads = 0,
                       .zero_log_fd = -1};
  const char *zero_log = NULL;
  const char *v = NULL;
  bool bad = false, db_given = false;
  for (int i = 1; i < argc && !bad; i++) {
    if (strcmp(argv[i], "--help") == 0) {
      help(stdout);
      return EXIT_OK;
    } else if (cli_opt(argc, argv, &i, "--db", &cfg.db, &bad)) {
      db_given = true;
    } else if (cli_opt(argc, argv, &i, "--bind", &cfg.bind, &bad)) {
    } else if (cli_opt(argc, argv, &i, "--corpus", &cfg.corpus, &bad)) {
    } else if (cli_opt(argc, argv, &i, "--port", &v, &bad)) {
      if (!bad && !cli_uint(v, 0, 65535, &cfg.port)) {
        fprintf(stderr, "teilhabe serve: --port must be 0 to 65535\n");
        bad = true;
      }
    } else if (cli_opt(argc, argv, &i, "--base-url", &v, &bad)) {
      if (!bad && !web_set_base_url(v)) {
        fprintf(stderr, "teilhabe serve: --base-url must be an http:// or "
                        "https:// URL, e.g. https://teilhabe.example\n");
        bad = true;
      }
    } else if (strcmp(argv[i], "--editorial") == 0) {
      cfg.editorial = true;
    } else if (cli_opt(argc, argv, &i, "--log-zero-results", &zero_log, &bad)) {
    } else if (cli_opt(argc, argv, &i, "--threads", &v, &bad)) {
      if (!bad && !cli_uint(v, 1, 256, &cfg.threads)) {
        fprintf(stderr, "teilhabe serve: --threads must be 1 to 256\n");
        bad = true;
      }
    } else {
      fprintf(stderr, "teilhabe serve: unknown argument '%s'\n", argv[i]);
      bad = true;
    }
  }
  if (bad)
    return EXIT_USAGE;
  if (cfg.threads == 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    cfg.threads = n > 0 && n < 64 ? (unsigned)n : 4;
  }

  cfg.zero_log_path = zero_log;
  if (zero_log) {
    cfg.zero_log_fd =
        open(zero_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (cfg.zero_log_fd < 0) {
      fprintf(stderr, "teilhabe serve: cannot open '%s': %s\n", zero_log,
              strerror(errno));
      return EXIT_RUNTIME;
    }
  }

  /* Preview: a private index of the corpus, kept up to date. */
  char tmpdb[] = "/tmp/teilhabe-preview-XXXXXX";
  char dbpath[sizeof tmpdb + 8];
  if (cfg.corpus) {
    if (!db_given) {
      if (mkdtemp(tmpdb) == NULL) {
        fprintf(stderr,
                "teilhabe preview: cannot create a folder in /tmp: %s\n",
                strerror(errno));
        return EXIT_RUNTIME;
      }
      snprintf(dbpath, sizeof dbpath, "%s/index", tmpdb);
      cfg.db = dbpath;
    }
    kb_status pst = preview_start(cfg.corpus, cfg.db);
    if (pst != KB_OK)
      return pst == KB_ERR_PARSE ? EXIT_FOUND_ERRORS : EXIT_RUNTIME;
  }

  /* Fail fast, with a clear message, when there is no usable index. */
  char *err = NULL;
  kb_searcher *probe = NULL;
  if (kb_searcher_open(cfg.db, &probe, &err) != KB_OK) {
    fprintf(stderr, "teilhabe serve: %s\n", err ? err : "cannot open index");
    free(err);
    return EXIT_RUNTIME;
  }
  uint64_t docs = kb_searcher_doccount(probe);
  kb_searcher_close(probe);

  struct sockaddr_storage ss = {0};
  socklen_t sslen;
  struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY;
  if (inet_pton(AF_INET, cfg.bind, &in4->sin_addr) == 1) {
    in4->sin_family = AF_INET;
    in4->sin_port = htons((uint16_t)cfg.port);
    sslen = sizeof *in4;
  } else if (inet_pton(AF_INET6, cfg.bind, &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((uint16_t)cfg.port);
    sslen = sizeof *in6;
    flags |= MHD_USE_IPv6;
  } else {
    fprintf(stderr,
            "teilhabe serve: --bind '%s' is not an IPv4 or IPv6 address\n",
            cfg.bind);
    return EXIT_USAGE;
  }
  (void)sslen;

  if (pthread_key_create(&worker_key, worker_free) != 0)
    return EXIT_RUNTIME;
  /* Signals are taken by sigwait below, not by pool threads. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct MHD_Daemon *d = MHD_start_daemon(
      flags, (uint16_t)cfg.port, NULL, NULL, handle, &cfg, MHD_OPTION_SOCK_ADDR,
      (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, cfg.threads,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
      MHD_OPTION_CONNECTION_LIMIT, 1000u, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
      200u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
      MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
  if (d == NULL) {
    fprintf(stderr,
            "teilhabe serve: cannot listen on %s port %u (in use, or not "
            "allowed)\n",
            cfg.bind, cfg.port);
    return EXIT_RUNTIME;
  }
  unsigned port = cfg.port;
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  if (info)
    port = info->port;
  fprintf(stderr, "teilhabe: serving %llu articles from %s with %u threads\n",
          (unsigned long long)docs, cfg.db, cfg.threads);
  if (strchr(cfg.bind, ':'))
    fprintf(stderr, "teilhabe: listening on http://[%s]:%u/\n", cfg.bind, port);
  else
    fprintf(stderr, "teilhabe: listening on http://%s:%u/\n", cfg.bind, port);
  if (cfg.corpus)
    fprintf(stderr,
            "teilhabe: preview of %s: saved changes show within a second; "
            "/vorschau opens the article saved last\n",
            cfg.corpus);
  fflush(stderr);

  int sig = 0;
  sigwait(&set, &sig);
  fprintf(stderr, "teilhabe: stopping\n");
  MHD_stop_daemon(d);
  if (cfg.zero_log_fd >= 0)
    close(cfg.zero_log_fd);
  if (cfg.corpus && !db_given)
    remove_tree(tmpdb); /* the preview's private index */
  return EXIT_OK;
}

/* `teilhabe preview [OPTIONS] CORPUS_DIR` is `serve --corpus CORPUS_DIR`
 * with the same options. */
int cmd_preview(int argc, char **argv) {
  char **args = calloc((size_t)argc + 3, sizeof *args);
  if (args == NULL)
    return EXIT_RUNTIME;
  int n = 0;
  bool have_dir = false;
  args[n++] = "serve";
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0) {
      printf("usage: teilhabe preview [--port N] [--bind ADDR] [--db DIR] "
             "CORPUS_DIR\n\nServes CORPUS_DIR as the site will show it "
             "and re-indexes within a\nsecond of every saved change; "
             "/vorschau opens the article saved last.\nProblems are "
             "printed as 'teilhabe lint' prints them.\n");
      free(args);
      return EXIT_OK;
    }
    if (argv[i][0] != '-' && !have_dir &&
        (i == 1 || argv[i - 1][0] != '-' || strchr(argv[i - 1], '='))) {
      args[n++] = "--corpus";
      have_dir = true;
    }
    args[n++] = argv[i];
  }
  if (!have_dir) {
    fprintf(stderr, "usage: teilhabe preview [OPTIONS] CORPUS_DIR\n");
    free(args);
    return EXIT_USAGE;
  }
  int rc = cmd_serve(n, args);
  free(args);
  return rc;
}
