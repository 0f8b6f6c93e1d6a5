//! What the Zero driver and its client agree on: the device name, the request codes and the statistics layout.
#![no_std]

/// `\\.\Zero` from user mode; `\??\Zero` is the kernel's name for the same link.
pub const DEVICE_PATH: &str = r"\\.\Zero";

/// The device type of the Zero device (vendor range starts at 0x8000).
pub const DEVICE_TYPE: u32 = 0x8001;

/// `CTL_CODE(DEVICE_TYPE, function, METHOD_BUFFERED, FILE_ANY_ACCESS)`.
pub const fn ctl_code(function: u32) -> u32 {
    (DEVICE_TYPE << 16) | (function << 2)
}

/// Returns the byte counters as [`Stats`].
pub const IOCTL_ZERO_GET_STATS: u32 = ctl_code(0x800);
/// Sets the byte counters back to zero.
pub const IOCTL_ZERO_CLEAR_STATS: u32 = ctl_code(0x801);

/// How many bytes the device has returned from reads and accepted in writes since it was loaded or cleared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub bytes_read: u64,
    pub bytes_written: u64,
}

impl Stats {
    pub const SIZE: usize = 16;

    pub fn to_bytes(self) -> [u8; Self::SIZE] {
        let mut bytes = [0u8; Self::SIZE];
        bytes[..8].copy_from_slice(&self.bytes_read.to_le_bytes());
        bytes[8..].copy_from_slice(&self.bytes_written.to_le_bytes());
        bytes
    }

    /// `None` when the buffer is too short to hold the counters.
    pub fn from_bytes(bytes: &[u8]) -> Option<Stats> {
        if bytes.len() < Self::SIZE {
            return None;
        }
        let mut read = [0u8; 8];
        let mut written = [0u8; 8];
        read.copy_from_slice(&bytes[..8]);
        written.copy_from_slice(&bytes[8..16]);
        Some(Stats { bytes_read: u64::from_le_bytes(read), bytes_written: u64::from_le_bytes(written) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_round_trip_through_bytes() {
        let stats = Stats { bytes_read: 1 << 40, bytes_written: 7 };
        assert_eq!(Stats::from_bytes(&stats.to_bytes()), Some(stats));
    }

    #[test]
    fn short_buffer_holds_no_stats() {
        assert_eq!(Stats::from_bytes(&[0; 15]), None);
    }

    #[test]
    fn control_codes_match_the_ctl_code_macro() {
        assert_eq!(IOCTL_ZERO_GET_STATS, 0x8001_2000);
        assert_eq!(IOCTL_ZERO_CLEAR_STATS, 0x8001_2004);
    }
}
