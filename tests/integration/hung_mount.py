"""A FUSE file system that mirrors a folder read-only and hangs on demand, as a network mount
whose server went away does: while the file `hang_flag` exists, every call into it blocks (the
caller sits in the kernel, where no signal but SIGKILL reaches it). Run as a process of its own:

    python3 hung_mount.py ROOT MOUNTPOINT HANG_FLAG

Needs /dev/fuse, root (or fusermount) and Debian's python3-fusepy."""

import errno
import os
import sys
import time

import fusepy


class HangingMirror(fusepy.Operations):
    def __init__(self, root, hang_flag):
        self.root, self.hang_flag = root, hang_flag

    def _wait(self):
        while os.path.exists(self.hang_flag):
            time.sleep(0.05)

    def _full(self, path):
        return os.path.join(self.root, path.lstrip("/"))

    def getattr(self, path, fh=None):
        self._wait()
        try:
            st = os.lstat(self._full(path))
        except OSError as e:
            raise fusepy.FuseOSError(e.errno)
        return {key: getattr(st, key) for key in ("st_mode", "st_nlink", "st_size", "st_uid", "st_gid",
                                                 "st_atime", "st_mtime", "st_ctime")}

    def readdir(self, path, fh):
        self._wait()
        return [".", ".."] + os.listdir(self._full(path))

    def open(self, path, flags):
        self._wait()
        if flags & (os.O_WRONLY | os.O_RDWR):
            raise fusepy.FuseOSError(errno.EROFS)
        return os.open(self._full(path), os.O_RDONLY)

    def read(self, path, size, offset, fh):
        self._wait()
        return os.pread(fh, size, offset)

    def release(self, path, fh):
        os.close(fh)
        return 0

    def statfs(self, path):
        self._wait()
        st = os.statvfs(self.root)
        return {key: getattr(st, key) for key in ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail",
                                                 "f_ffree", "f_files", "f_flag", "f_frsize", "f_namemax")}


if __name__ == "__main__":
    root, mountpoint, flag = sys.argv[1:4]
    fusepy.FUSE(HangingMirror(root, flag), mountpoint, foreground=True, nothreads=False, ro=True)
