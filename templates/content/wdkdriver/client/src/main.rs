//! The client: pings the driver and prints its answer. Exit code 0 when the driver answered, 1 otherwise.
use wdkdriverid_common::{decode_reply, DEVICE_PATH, IOCTL_PING, PING_REPLY};
use device_io::Device;
use std::process::ExitCode;

fn main() -> ExitCode {
    match Device::open(DEVICE_PATH).and_then(|mut device| device.control(IOCTL_PING, &[], 8)).map(|reply| decode_reply(&reply)) {
        Ok(Some((PING_REPLY, count))) => {
            println!("WdkDriverName answered PING (ping {})", count);
            ExitCode::SUCCESS
        }
        Ok(other) => {
            eprintln!("wdkdriverid-client: unexpected answer {:?}", other);
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("wdkdriverid-client: {}", error);
            ExitCode::FAILURE
        }
    }
}
