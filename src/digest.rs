//! SHA-256 as lower-case hex, for the manifest: of bytes in memory, or of a
//! regular file read as a stream (never whole, never through a symlink).

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(Sha256::digest(bytes).as_slice())
}

/// The hash of a regular file, read in blocks; a symlink, FIFO or device is
/// an error, so nothing outside the input is ever hashed into the manifest.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    if !std::fs::symlink_metadata(path)?.file_type().is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(hasher.finalize().as_slice()))
}

/// SHA-256 of bytes that come in blocks.
#[derive(Default)]
pub struct Streaming(Sha256);

impl Streaming {
    pub fn update(&mut self, block: &[u8]) {
        self.0.update(block);
    }

    pub fn hex(self) -> String {
        hex(self.0.finalize().as_slice())
    }
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_digest() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn files_hash_as_their_bytes_and_symlinks_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, b"abc").unwrap();
        assert_eq!(super::sha256_file(&file).unwrap(), super::sha256_hex(b"abc"));
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert!(super::sha256_file(&link).is_err());
        }
    }
}
