//! `zero`: exercises the Zero driver: clears its counters, reads (the bytes must come back zero), writes, checks the
//! counters, clears them again and checks that a too-short buffer for them is refused. Exit code 0 when the driver
//! did everything right, 1 otherwise.
use device_io::Device;
use std::io::{Read, Write};
use std::process::ExitCode;
use zero_common::{Stats, DEVICE_PATH, IOCTL_ZERO_CLEAR_STATS, IOCTL_ZERO_GET_STATS};

fn main() -> ExitCode {
    match run() {
        Ok(()) => {
            println!("zero: the driver did everything right");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("zero: {}", error);
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut device = Device::open(DEVICE_PATH).map_err(|e| e.to_string())?;
    control(&mut device, IOCTL_ZERO_CLEAR_STATS, 0)?;

    read_zeros(&mut device, 1024)?;
    let written = device.file().write(&[0x5a; 500]).map_err(|e| format!("write failed: {}", e))?;
    println!("wrote {} bytes", written);
    read_zeros(&mut device, 256)?;

    let counted = stats(&mut device)?;
    println!("stats: read {}, written {}", counted.bytes_read, counted.bytes_written);
    if counted != (Stats { bytes_read: 1280, bytes_written: 500 }) {
        return Err(format!("expected read 1280 and written 500, the driver counted {:?}", counted));
    }

    control(&mut device, IOCTL_ZERO_CLEAR_STATS, 0)?;
    let cleared = stats(&mut device)?;
    println!("stats after clear: read {}, written {}", cleared.bytes_read, cleared.bytes_written);
    if cleared != Stats::default() {
        return Err(format!("the counters were not cleared: {:?}", cleared));
    }

    match control(&mut device, IOCTL_ZERO_GET_STATS, 8) {
        Err(error) => println!("short statistics buffer refused: {}", error),
        Ok(bytes) => return Err(format!("an 8-byte buffer for the statistics was accepted ({} bytes)", bytes.len())),
    }
    Ok(())
}

/// Sends a control code without input; returns what the driver wrote into an output buffer of `output_length`.
fn control(device: &mut Device, code: u32, output_length: usize) -> Result<Vec<u8>, String> {
    device.control(code, &[], output_length).map_err(|e| format!("control code 0x{:08X} failed: {}", code, e))
}

fn read_zeros(device: &mut Device, length: usize) -> Result<(), String> {
    let mut buffer = vec![0xa5u8; length];
    let read = device.file().read(&mut buffer).map_err(|e| format!("read failed: {}", e))?;
    if read != length || buffer.iter().any(|&b| b != 0) {
        return Err(format!("a read of {} bytes returned {} bytes, not all zero", length, read));
    }
    println!("read {} bytes, all zero", read);
    Ok(())
}

fn stats(device: &mut Device) -> Result<Stats, String> {
    let bytes = control(device, IOCTL_ZERO_GET_STATS, Stats::SIZE)?;
    Stats::from_bytes(&bytes).ok_or_else(|| format!("the statistics came back as {} bytes", bytes.len()))
}
