//! What the Booster driver and its client agree on: the device name, the request code and the request layout.
#![no_std]

/// `\\.\Booster` from user mode; `\??\Booster` is the kernel's name for the same link.
pub const DEVICE_PATH: &str = r"\\.\Booster";

/// The device type of the Booster device (vendor range starts at 0x8000).
pub const DEVICE_TYPE: u32 = 0x8000;

/// `CTL_CODE(0x8000, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)`: set a thread's priority.
pub const IOCTL_SET_PRIORITY: u32 = (DEVICE_TYPE << 16) | (0x800 << 2);

/// Lowest and highest priority the driver accepts (the kernel's range for `KeSetPriorityThread`).
pub const MIN_PRIORITY: i32 = 1;
pub const MAX_PRIORITY: i32 = 31;

/// The request the client sends: which thread, and the priority to give it.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThreadData {
    pub thread_id: u32,
    pub priority: i32,
}

impl ThreadData {
    pub const SIZE: usize = core::mem::size_of::<ThreadData>();

    pub fn to_bytes(self) -> [u8; Self::SIZE] {
        let mut bytes = [0u8; Self::SIZE];
        bytes[..4].copy_from_slice(&self.thread_id.to_le_bytes());
        bytes[4..].copy_from_slice(&self.priority.to_le_bytes());
        bytes
    }

    /// Reads a request; `None` when the buffer is too short to hold one.
    pub fn from_bytes(bytes: &[u8]) -> Option<ThreadData> {
        if bytes.len() < Self::SIZE {
            return None;
        }
        let mut id = [0u8; 4];
        let mut priority = [0u8; 4];
        id.copy_from_slice(&bytes[..4]);
        priority.copy_from_slice(&bytes[4..8]);
        Some(ThreadData { thread_id: u32::from_le_bytes(id), priority: i32::from_le_bytes(priority) })
    }

    pub fn priority_is_valid(&self) -> bool {
        (MIN_PRIORITY..=MAX_PRIORITY).contains(&self.priority)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_round_trips_through_bytes() {
        let request = ThreadData { thread_id: 1234, priority: 25 };
        assert_eq!(ThreadData::from_bytes(&request.to_bytes()), Some(request));
    }

    #[test]
    fn short_buffer_is_rejected() {
        assert_eq!(ThreadData::from_bytes(&[1, 2, 3]), None);
    }

    #[test]
    fn ioctl_code_matches_ctl_code_macro() {
        assert_eq!(IOCTL_SET_PRIORITY, 0x8000_2000);
    }
}
