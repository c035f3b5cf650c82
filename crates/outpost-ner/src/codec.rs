//! Little-endian binary writer/reader for model files.

use std::path::{Path, PathBuf};

use crate::error::NerError;

/// Appends values to a byte buffer.
#[derive(Default)]
pub struct Writer(pub Vec<u8>);

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i16(&mut self, v: i16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
}

/// Reads values back; every read fails with [`NerError::BadModel`] past the end.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    path: PathBuf,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8], path: &Path) -> Self {
        Self {
            buf,
            pos: 0,
            path: path.to_path_buf(),
        }
    }
    pub fn err(&self, msg: impl Into<String>) -> NerError {
        NerError::BadModel {
            path: self.path.clone(),
            msg: msg.into(),
        }
    }
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], NerError> {
        if self.buf.len() - self.pos < n {
            return Err(self.err(format!("truncated at byte {}", self.pos)));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn arr<const N: usize>(&mut self) -> Result<[u8; N], NerError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.bytes(N)?);
        Ok(a)
    }
    pub fn u8(&mut self) -> Result<u8, NerError> {
        Ok(self.arr::<1>()?[0])
    }
    pub fn u16(&mut self) -> Result<u16, NerError> {
        Ok(u16::from_le_bytes(self.arr()?))
    }
    pub fn u32(&mut self) -> Result<u32, NerError> {
        Ok(u32::from_le_bytes(self.arr()?))
    }
    pub fn u64(&mut self) -> Result<u64, NerError> {
        Ok(u64::from_le_bytes(self.arr()?))
    }
    pub fn f32(&mut self) -> Result<f32, NerError> {
        Ok(f32::from_le_bytes(self.arr()?))
    }
    /// A count that must not exceed the bytes left divided by `unit` (guards allocations).
    pub fn count(&mut self, unit: usize) -> Result<usize, NerError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(unit.max(1)) > self.buf.len() - self.pos {
            return Err(self.err(format!("count {n} exceeds the file size")));
        }
        Ok(n)
    }
    pub fn str(&mut self) -> Result<String, NerError> {
        let n = self.count(1)?;
        let b = self.bytes(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| self.err("string is not UTF-8"))
    }
    pub fn at_end(&self) -> bool {
        self.pos == self.buf.len()
    }
}
