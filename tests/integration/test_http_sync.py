"""`sync --once` from an HTTP share: the real binary against a real HTTP server on 127.0.0.1
(share_server.py: what a web server or CDN does, ETag, Last-Modified, 304, Range requests)
serving a folder `publish` was run in, and the faults a sync must survive: bytes that do not
match the manifest, a connection cut mid-download (once, or again and again), a server that
ignores ranges, a server that is gone, a manifest that points outside the share. Then HTTPS:
a server whose certificate a private CA made at test time signed, trusted through
[content] ca_file only, and one whose certificate names another host."""

import hashlib
import json
import os
import tempfile
import unittest

from helpers import SyncChecks, TempShare, log_messages, png_of_size, run_player, run_sync
from share_server import ShareServer, make_tls_files


class HttpSyncTest(SyncChecks, TempShare):
    def setUp(self):
        super().setUp()
        # The server serves the whole temporary folder: the share is /share/, with neighbours
        # outside it that a manifest could try to reach.
        self.server = ShareServer(self.root)
        self.addCleanup(self.server.stop)
        self.url = self.server.url + "share/"
        self.cache = os.path.join(self.root, "cache")
        self.config = os.path.join(self.root, "player.ini")
        self.write_config()

    def write_config(self, share=None, extra=""):
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(f"[content]\nshare = {share or self.url}\ncache = {self.cache}\nmin_free_mb = 0\n{extra}")

    def publish(self):
        r = run_sync(["publish", self.share])
        self.assertEqual(r.returncode, 0, r.stderr)

    def put_content(self, marker="v1", posters=3, size=20000):
        """playlist.ini showing `posters` posters (PNGs of `size` bytes), then publish."""
        text = f"[hello]\ntype = slogan\ntext = {marker}\n"
        for i in range(posters):
            name = f"posters/p{i}.png"
            text += f"\n[p{i}]\ntype = image\nfile = {name}\n"
            if not os.path.exists(self.path(name)):
                self.write(name, png_of_size(size))
        self.write("playlist.ini", text)
        self.publish()

    def sync(self):
        return run_sync(["sync", "--once", "--config", self.config])

    def first_sync(self, **content):
        self.put_content(**content)
        self.assert_ok(self.sync())
        self.server.take_requests()

    def read_current(self, name):
        with open(self.current(name), "rb") as f:
            return f.read()

    def warnings(self, r):
        return log_messages(r.stderr, "warning")

    def partials(self):
        folder = os.path.join(self.cache, "partial")
        return {name: os.path.getsize(os.path.join(folder, name)) for name in os.listdir(folder)}

    # ------------------------------------------------------------------------------------------

    def test_first_sync_fetches_everything_then_a_304_ends_the_next(self):
        self.put_content(posters=3, size=20000)
        r = self.sync()
        self.assert_ok(r)
        playlist_size = os.path.getsize(self.path("playlist.ini"))
        self.assertRegex(self.summary(r), r"^sync: snapshot \S+ is current: 4 files, 4 copied "
                                          rf"\({60000 + playlist_size} bytes\), 0 linked, 0 removed")
        fetched, _ = self.server.take_requests()
        self.assertEqual(sorted(fetched), [("/share/manifest.txt", 200), ("/share/playlist.ini", 200),
                                           ("/share/posters/p0.png", 200), ("/share/posters/p1.png", 200),
                                           ("/share/posters/p2.png", 200)])
        self.assert_cache_complete()
        with open(self.path("posters/p1.png"), "rb") as f:
            self.assertEqual(self.read_current("posters/p1.png"), f.read())
        self.assertEqual(self.partials(), {})

        r = self.sync()
        self.assert_ok(r)
        self.assertRegex(self.summary(r), r"^sync: up to date: snapshot \S+, 4 files \(\d+ ms, the share's "
                                          r"manifest.txt is not modified\)$")
        fetched, records = self.server.take_requests()
        self.assertEqual(fetched, [("/share/manifest.txt", 304)])
        self.assertIn("If-None-Match", records[0].headers)
        self.assertIn("If-Modified-Since", records[0].headers)

    def test_one_changed_file_of_many_is_the_only_download(self):
        for i in range(80):
            self.write(f"media/{i:02}.bin", os.urandom(2000))
        self.first_sync(posters=1)
        self.write("media/42.bin", os.urandom(3000))
        self.publish()
        r = self.sync()
        self.assert_ok(r)
        self.assertIn("is current: 82 files, 1 copied (3000 bytes), 81 linked, 0 removed", self.summary(r))
        fetched, records = self.server.take_requests()
        self.assertEqual(fetched, [("/share/manifest.txt", 200), ("/share/media/42.bin", 200)])
        self.assertIn("If-None-Match", records[0].headers)  # asked conditionally; the manifest had changed
        self.assert_cache_complete()

    def test_bytes_that_do_not_match_the_manifest_are_not_taken(self):
        self.first_sync(posters=3)
        before = {name: self.read_current(name) for name in ("posters/p0.png", "posters/p1.png")}
        self.write("posters/p0.png", png_of_size(20000))
        self.write("posters/p1.png", png_of_size(20000))
        self.publish()
        # The server lies: other bytes of the listed size for p0, more bytes than listed for p1.
        self.server.replace["/share/posters/p0.png"] = os.urandom(20000)
        self.server.replace["/share/posters/p1.png"] = os.urandom(25000)
        r = self.sync()
        self.assert_ok(r)
        warnings = self.warnings(r)
        self.assertTrue(any(w.startswith(f"{self.url}posters/p0.png: does not match manifest.txt") and
                            w.endswith("the previous version is kept") for w in warnings), r.stderr)
        self.assertIn(f"{self.url}posters/p1.png: the server sent more than the 20000 bytes manifest.txt lists; "
                      "cut off and refused; the previous version is kept", warnings)
        self.assertEqual({name: self.read_current(name) for name in before}, before)
        self.assert_cache_complete()
        self.assertEqual(self.partials(), {})

        # Served right again: both are taken; nothing was remembered that would make it a 304.
        self.server.replace.clear()
        self.server.take_requests()
        r = self.sync()
        self.assert_ok(r)
        self.assertIn("2 copied (40000 bytes)", self.summary(r))
        fetched, _ = self.server.take_requests()
        self.assertEqual(fetched[0], ("/share/manifest.txt", 200))
        with open(self.path("posters/p0.png"), "rb") as f:
            self.assertEqual(self.read_current("posters/p0.png"), f.read())

    def test_server_gone_fails_the_sync_and_keeps_the_cache(self):
        self.first_sync()
        before = os.readlink(self.current().rstrip("/"))
        self.server.stop()
        r = self.sync()
        message = self.assert_failed(r, f"sync failed: {self.url}manifest.txt: cannot fetch: ")
        self.assertIn("127.0.0.1", message)
        self.assertEqual(os.readlink(self.current().rstrip("/")), before)
        self.assert_cache_complete()

    # A file the playlist does not show (a sync probes new media files, not this one).
    BIG = "files/big.bin"
    BIG_URL = "/share/files/big.bin"

    def new_big_file(self):
        """A new 300000-byte file on a share synced before, published; returns its bytes."""
        self.first_sync()
        new = os.urandom(300000)
        self.write(self.BIG, new)
        self.publish()
        return new

    def assert_big_file_taken(self, new, bytes_copied, requests):
        """A sync takes the new file after these requests for it: [(status, its Range header)]."""
        r = self.sync()
        self.assert_ok(r)
        self.assertIn(f"1 copied ({bytes_copied} bytes)", self.summary(r))
        fetched, records = self.server.take_requests()
        self.assertEqual(fetched, [("/share/manifest.txt", 200)] + [(self.BIG_URL, status) for status, _ in requests])
        self.assertEqual([rec.headers.get("Range") for rec in records[1:]], [asked for _, asked in requests])
        self.assertEqual(self.read_current(self.BIG), new)
        self.assert_cache_complete()
        self.assertEqual(self.partials(), {})

    def test_a_download_cut_off_is_resumed_in_the_same_sync(self):
        new = self.new_big_file()
        self.server.cut_after[self.BIG_URL] = 100000
        self.assert_big_file_taken(new, 300000, [(200, None), (206, "bytes=100000-")])  # every byte once

    def test_a_server_that_ignores_ranges_gets_a_clean_restart(self):
        new = self.new_big_file()
        self.server.cut_after[self.BIG_URL] = 100000
        self.server.ignore_range = True
        self.assert_big_file_taken(new, 400000, [(200, None), (200, "bytes=100000-")])  # 100000 bytes twice

    def test_downloads_cut_off_again_and_again_fail_the_sync_and_the_next_resumes(self):
        new = self.new_big_file()
        before = os.readlink(self.current().rstrip("/"))
        self.server.cut_always[self.BIG_URL] = 1000
        self.assert_failed(self.sync(), f"sync failed: {self.url}{self.BIG}: download cut off 4 times, the last "
                                        "after 4000 of 300000 bytes (")
        fetched, records = self.server.take_requests()
        self.assertEqual(fetched, [("/share/manifest.txt", 200), (self.BIG_URL, 200)] + [(self.BIG_URL, 206)] * 3)
        self.assertEqual([rec.headers.get("Range") for rec in records[2:]],
                         ["bytes=1000-", "bytes=2000-", "bytes=3000-"])
        self.assertEqual(os.readlink(self.current().rstrip("/")), before)  # the previous snapshot stays
        self.assertFalse(os.path.exists(self.current(self.BIG)))
        self.assert_cache_complete()
        self.assertEqual(self.partials(), {hashlib.sha256(new).hexdigest(): 4000})

        # The server sends whole files again: the next sync asks for the rest only.
        self.server.cut_always.clear()
        self.assert_big_file_taken(new, 296000, [(206, "bytes=4000-")])

    def test_play_names_the_url_of_downloads_that_keep_breaking_in_status_json(self):
        new = self.new_big_file()
        before = os.readlink(self.current().rstrip("/"))
        self.server.cut_always[self.BIG_URL] = 1000
        r = run_player(["play", "--headless", "--run-for", "6", "--config", self.config], timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        unreachable = [m for m in log_messages(r.stderr) if "share unreachable" in m]
        self.assertEqual(len(unreachable), 1, r.stderr)
        with open(os.path.join(self.cache, "status.json"), encoding="utf-8") as f:
            status = json.load(f)
        self.assertEqual(status["state"], "unreachable")
        self.assertIn(f"{self.url}{self.BIG}: download cut off 4 times", status["last_error"])
        self.assertEqual(os.readlink(self.current().rstrip("/")), before)
        self.assertIn(hashlib.sha256(new).hexdigest(), self.partials())
        self.assert_cache_complete()

    def test_a_sync_that_fails_after_downloading_keeps_the_downloads_for_the_next(self):
        self.first_sync(posters=2)
        new = png_of_size(50000)
        self.write("posters/p0.png", new)
        self.write("playlist.ini", "[p0]\ntype = image\nfile = posters/p0.png\n\n"
                                   "[gone]\ntype = image\nfile = posters/missing.png\n")
        self.publish()
        self.assert_failed(self.sync(), f"sync failed: {self.url}playlist.ini:5: names posters/missing.png")
        self.assertIn(hashlib.sha256(new).hexdigest(), self.partials())
        self.write("playlist.ini", "[p0]\ntype = image\nfile = posters/p0.png\n")
        self.publish()
        self.server.take_requests()
        r = self.sync()
        self.assert_ok(r)
        fetched, _ = self.server.take_requests()
        self.assertEqual(fetched, [("/share/manifest.txt", 200), ("/share/playlist.ini", 200)])
        self.assertEqual(self.read_current("posters/p0.png"), new)
        self.assert_cache_complete()
        self.assertEqual(self.partials(), {})

    def test_a_manifest_pointing_outside_the_share_fails_the_sync(self):
        with open(os.path.join(self.root, "outside.txt"), "w", encoding="utf-8") as f:
            f.write("secret\n")
        sha = "0" * 64
        for path, reason in (("../outside.txt", '".." in a path'), ("/etc/passwd", "absolute path"),
                             ("a\x01b", "control character")):
            with self.subTest(path=path):
                self.write("manifest.txt", f"signage-manifest 1\n{sha} 7 {path}\nend 1\n")
                message = self.assert_failed(self.sync(), f"sync failed: {self.url}manifest.txt:2: ")
                self.assertIn(reason, message)
                fetched, _ = self.server.take_requests()
                self.assertEqual(fetched, [("/share/manifest.txt", 200)])
                self.assertFalse(os.path.lexists(self.current().rstrip("/")))

    def test_limits_refuse_listed_files_before_any_download(self):
        self.write("big/clip.bin", os.urandom(1536 * 1024))
        self.write(".hidden.bin", "skipped")
        self.put_content(posters=1)
        self.write_config(extra="[limits]\nmax_file_mb = 1\n")
        r = self.sync()
        self.assert_ok(r)
        self.assertIn(f"{self.url}big/clip.bin: is 2 MB, more than [limits] max_file_mb (1 MB); not synced",
                      self.warnings(r))
        fetched, _ = self.server.take_requests()
        self.assertNotIn("/share/big/clip.bin", [path for path, _ in fetched])
        self.assertFalse(os.path.exists(self.current("big/clip.bin")))

    def test_no_manifest_is_an_http_404(self):
        self.write("playlist.ini", "[hello]\ntype = slogan\ntext = hi\n")
        self.assert_failed(self.sync(), f"sync failed: {self.url}manifest.txt: HTTP 404 (an HTTP share needs its "
                                        "manifest.txt")

    def test_redirects_are_followed_to_http_only(self):
        self.put_content(posters=1)
        self.server.redirect["/moved/"] = self.url
        self.write_config(share=self.server.url + "moved/")
        self.assert_ok(self.sync())
        self.assert_cache_complete()
        self.server.redirect["/elsewhere/"] = "file:///etc/"
        self.write_config(share=self.server.url + "elsewhere/")
        message = self.assert_failed(self.sync(), f"sync failed: {self.server.url}elsewhere/manifest.txt: "
                                                  "cannot fetch: ")
        self.assertIn("file", message)

    def test_check_does_not_reach_the_network(self):
        self.first_sync(posters=0)  # check then reads the small synced playlist, not the built-in one
        r = run_player(["check", "--config", self.config])
        self.assertEqual(r.returncode, 0, r.stderr)
        fetched, _ = self.server.take_requests()
        self.assertEqual(fetched, [])



class HttpsSyncTest(SyncChecks, TempShare):
    """HTTPS with a private CA: the certificates are made once for the class with `openssl`."""

    @classmethod
    def setUpClass(cls):
        cls.tls_dir = tempfile.TemporaryDirectory(prefix="signage-tls-")
        cls.tls = make_tls_files(cls.tls_dir.name)

    @classmethod
    def tearDownClass(cls):
        cls.tls_dir.cleanup()

    def setUp(self):
        super().setUp()
        self.cache = os.path.join(self.root, "cache")
        self.config = os.path.join(self.root, "player.ini")
        self.write("playlist.ini", "[hello]\ntype = slogan\ntext = hi\n")
        self.write("posters/p0.png", os.urandom(20000))
        self.assertEqual(run_sync(["publish", self.share]).returncode, 0)

    def serve(self, cert, key):
        server = ShareServer(self.root, tls=(cert, key))
        self.addCleanup(server.stop)
        return server

    def sync(self, url, ca_file=None):
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(f"[content]\nshare = {url}\ncache = {self.cache}\nmin_free_mb = 0\n")
            if ca_file:
                f.write(f"ca_file = {ca_file}\n")
        return run_sync(["sync", "--once", "--config", self.config])

    def test_a_private_ca_given_as_ca_file_is_trusted_and_the_system_store_is_not(self):
        server = self.serve(self.tls.server_cert, self.tls.server_key)
        # By name (the certificate's DNS name) and by address (its IP address).
        port = server.httpd.server_address[1]
        for url in (f"https://localhost:{port}/share/", f"https://127.0.0.1:{port}/share/"):
            with self.subTest(url=url):
                r = self.sync(url, self.tls.ca)
                self.assert_ok(r)
                self.assert_cache_complete()
                fetched, _ = server.take_requests()
                self.assertIn(("/share/manifest.txt", 200), fetched)
        before = os.readlink(self.current().rstrip("/"))

        # Without ca_file: the system's CA store does not know the private CA.
        url = f"https://127.0.0.1:{port}/share/"
        message = self.assert_failed(self.sync(url), f"sync failed: {url}manifest.txt: cannot fetch: "
                                                     "SSL certificate problem: ")
        self.assertIn("unable to get local issuer certificate", message)
        self.assertIn("the system's CA store", message)
        self.assertIn("[content] ca_file", message)
        self.assertEqual(server.take_requests()[0], [])  # no request got through
        self.assertEqual(os.readlink(self.current().rstrip("/")), before)
        self.assert_cache_complete()

    def test_a_certificate_for_another_host_is_refused_even_from_the_trusted_ca(self):
        server = self.serve(self.tls.other_cert, self.tls.other_key)
        url = server.url + "share/"
        message = self.assert_failed(self.sync(url, self.tls.ca), f"sync failed: {url}manifest.txt: cannot fetch: ")
        self.assertIn("'127.0.0.1'", message)  # the host name it was asked for
        self.assertIn("subject name", message)
        self.assertIn(f"[content] ca_file = {self.tls.ca}", message)
        self.assertFalse(os.path.lexists(self.current().rstrip("/")))

    def test_a_ca_file_that_cannot_be_read_stops_at_the_config(self):
        missing = os.path.join(self.root, "missing-ca.pem")
        r = self.sync("https://127.0.0.1:9/share/", missing)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(f"{self.config}:5: ca_file: cannot read {missing}: No such file or directory", r.stderr)


if __name__ == "__main__":
    unittest.main()
