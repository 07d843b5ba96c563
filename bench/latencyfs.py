#!/usr/bin/python3
"""A FUSE passthrough that adds a fixed delay to every operation, like a network filesystem
(GlusterFS, NFS) where each lookup, stat, open, read, create and rename is a round trip.

Asynchronous (pyfuse3 on trio): up to MAX_TASKS requests are in flight at once and their
delays overlap, as on a network filesystem whose client keeps many requests outstanding
(libfuse2's threaded loop would cap that at 10). The kernel's attribute and entry caches are
off (timeouts 0), so every path lookup reaches the filesystem. Needs Debian's
python3-pyfuse3 and root (or fusermount3).

Usage: latencyfs.py BACKING MOUNTPOINT DELAY_MS [MAX_TASKS]   (foreground; umount to end)
"""

import errno
import os
import sys

import pyfuse3
import trio

# Sets the fields of EntryAttributes from an os.stat_result.
_FIELDS = ("st_mode", "st_nlink", "st_uid", "st_gid", "st_rdev", "st_size", "st_blksize",
           "st_blocks", "st_atime_ns", "st_mtime_ns", "st_ctime_ns")


def _errors(fn):
    async def wrapper(self, *args):
        await trio.sleep(self.delay)  # the round trip
        try:
            return await fn(self, *args)
        except OSError as e:
            raise pyfuse3.FUSEError(e.errno or errno.EIO)
    wrapper.__name__ = fn.__name__
    return wrapper


class Latency(pyfuse3.Operations):
    def __init__(self, root, delay_ms):
        super().__init__()
        self.root = os.path.realpath(root)
        self.delay = delay_ms / 1000.0
        self.paths = {pyfuse3.ROOT_INODE: self.root}

    def _path(self, inode):
        try:
            return self.paths[inode]
        except KeyError:
            raise pyfuse3.FUSEError(errno.ENOENT)

    def _child(self, parent, name):
        return os.path.join(self._path(parent), os.fsdecode(name))

    def _attrs(self, st, inode=None):
        a = pyfuse3.EntryAttributes()
        for f in _FIELDS:
            setattr(a, f, getattr(st, f))
        a.st_ino = inode if inode is not None else st.st_ino
        a.generation = 0
        a.entry_timeout = 0
        a.attr_timeout = 0
        return a

    def _remember(self, path):
        st = os.lstat(path)
        if st.st_ino == pyfuse3.ROOT_INODE:
            raise pyfuse3.FUSEError(errno.EIO)
        self.paths[st.st_ino] = path
        return self._attrs(st)

    @_errors
    async def lookup(self, parent, name, ctx=None):
        if name == b".":
            return await self._getattr(parent)
        if name == b"..":
            path = os.path.dirname(self._path(parent))
            return self._attrs(os.lstat(path))
        return self._remember(self._child(parent, name))

    async def _getattr(self, inode, ctx=None):
        st = os.lstat(self._path(inode))
        return self._attrs(st, pyfuse3.ROOT_INODE if inode == pyfuse3.ROOT_INODE else None)

    @_errors
    async def getattr(self, inode, ctx=None):
        return await self._getattr(inode)

    @_errors
    async def setattr(self, inode, attr, fields, fh, ctx):
        path = self._path(inode)
        if fields.update_size:
            if fh is not None:
                os.ftruncate(fh, attr.st_size)
            else:
                os.truncate(path, attr.st_size)
        if fields.update_mode:
            if fh is not None:
                os.fchmod(fh, attr.st_mode & 0o7777)
            else:
                os.chmod(path, attr.st_mode & 0o7777, follow_symlinks=False)
        if fields.update_uid or fields.update_gid:
            uid = attr.st_uid if fields.update_uid else -1
            gid = attr.st_gid if fields.update_gid else -1
            if fh is not None:
                os.fchown(fh, uid, gid)
            else:
                os.lchown(path, uid, gid)
        if fields.update_atime or fields.update_mtime:
            st = os.lstat(path)
            at = attr.st_atime_ns if fields.update_atime else st.st_atime_ns
            mt = attr.st_mtime_ns if fields.update_mtime else st.st_mtime_ns
            os.utime(path, ns=(at, mt), follow_symlinks=False)
        return await self._getattr(inode)

    @_errors
    async def readlink(self, inode, ctx):
        return os.fsencode(os.readlink(self._path(inode)))

    @_errors
    async def opendir(self, inode, ctx):
        return inode

    @_errors
    async def readdir(self, inode, start_id, token):
        path = self._path(inode)
        entries = sorted(os.listdir(path))
        for i, name in enumerate(entries[start_id:], start_id):
            child = os.path.join(path, name)
            try:
                attrs = self._remember(child)
            except OSError:
                continue
            if not pyfuse3.readdir_reply(token, os.fsencode(name), attrs, i + 1):
                break

    async def releasedir(self, fh):
        pass

    @_errors
    async def access(self, inode, mode, ctx):
        return os.access(self._path(inode), mode)

    @_errors
    async def statfs(self, ctx):
        s = os.statvfs(self.root)
        out = pyfuse3.StatvfsData()
        for f in ("f_bsize", "f_frsize", "f_blocks", "f_bfree", "f_bavail", "f_files",
                  "f_ffree", "f_favail", "f_namemax"):
            setattr(out, f, getattr(s, f))
        return out

    @_errors
    async def mkdir(self, parent, name, mode, ctx):
        path = self._child(parent, name)
        os.mkdir(path, mode)
        return self._remember(path)

    @_errors
    async def rmdir(self, parent, name, ctx):
        os.rmdir(self._child(parent, name))

    @_errors
    async def unlink(self, parent, name, ctx):
        os.unlink(self._child(parent, name))

    @_errors
    async def symlink(self, parent, name, target, ctx):
        path = self._child(parent, name)
        os.symlink(os.fsdecode(target), path)
        return self._remember(path)

    @_errors
    async def link(self, inode, new_parent, new_name, ctx):
        path = self._child(new_parent, new_name)
        os.link(self._path(inode), path)
        return self._remember(path)

    @_errors
    async def rename(self, old_parent, old_name, new_parent, new_name, flags, ctx):
        if flags != 0:
            raise pyfuse3.FUSEError(errno.EINVAL)
        old, new = self._child(old_parent, old_name), self._child(new_parent, new_name)
        os.rename(old, new)
        self._remember(new)

    @_errors
    async def open(self, inode, flags, ctx):
        return pyfuse3.FileInfo(fh=os.open(self._path(inode), flags & ~os.O_CREAT))

    @_errors
    async def create(self, parent, name, mode, flags, ctx):
        path = self._child(parent, name)
        fd = os.open(path, flags | os.O_CREAT | os.O_TRUNC, mode)
        return pyfuse3.FileInfo(fh=fd), self._remember(path)

    @_errors
    async def read(self, fh, off, size):
        return os.pread(fh, size, off)

    @_errors
    async def write(self, fh, off, buf):
        return os.pwrite(fh, buf, off)

    async def flush(self, fh):
        pass

    async def release(self, fh):
        os.close(fh)

    @_errors
    async def fsync(self, fh, datasync):
        if datasync:
            os.fdatasync(fh)
        else:
            os.fsync(fh)

    async def forget(self, inode_list):
        pass


def main():
    backing, mnt, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
    max_tasks = int(sys.argv[4]) if len(sys.argv) > 4 else 256
    ops = Latency(backing, delay)
    options = set(pyfuse3.default_options) | {"fsname=latencyfs", "allow_other"}
    pyfuse3.init(ops, mnt, options)
    try:
        trio.run(pyfuse3.main, 1, max_tasks)
    finally:
        pyfuse3.close(unmount=False)


if __name__ == "__main__":
    main()
