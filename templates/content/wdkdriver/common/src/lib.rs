//! What the driver and its client agree on: the device name and the request codes.
#![no_std]

/// The device's name for user mode; the driver creates `\Device\WdkDriverName` and links `\??\WdkDriverName` to it.
pub const DEVICE_PATH: &str = r"\\.\WdkDriverName";

/// The device type (the vendor range starts at 0x8000).
pub const DEVICE_TYPE: u32 = 0x8000;

/// `CTL_CODE(DEVICE_TYPE, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)`: answers with [`PING_REPLY`] and the ping count.
pub const IOCTL_PING: u32 = (DEVICE_TYPE << 16) | (0x800 << 2);

/// "PING" in ASCII, as a little-endian u32.
pub const PING_REPLY: u32 = u32::from_le_bytes(*b"PING");

/// The reply: [`PING_REPLY`], then how many pings the driver has answered, both little-endian u32.
pub fn decode_reply(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 8 {
        return None;
    }
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[..4]);
    let magic = u32::from_le_bytes(word);
    word.copy_from_slice(&bytes[4..8]);
    Some((magic, u32::from_le_bytes(word)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ioctl_code_matches_the_ctl_code_macro() {
        assert_eq!(IOCTL_PING, 0x8000_2000);
    }

    #[test]
    fn a_reply_decodes() {
        let mut reply = [0u8; 8];
        reply[..4].copy_from_slice(&PING_REPLY.to_le_bytes());
        reply[4..].copy_from_slice(&3u32.to_le_bytes());
        assert_eq!(decode_reply(&reply), Some((PING_REPLY, 3)));
        assert_eq!(decode_reply(&reply[..7]), None);
    }
}
