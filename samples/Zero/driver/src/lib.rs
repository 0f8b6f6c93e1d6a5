//! Zero: a WDM driver whose reads return zeroed buffers and whose writes are accepted and dropped, counting the
//! bytes of both; two control codes return and clear the counters. The "Zero" lab of *Windows Kernel Programming*,
//! written anew in Rust without crates.io.
#![no_std]

use core::sync::atomic::{AtomicU64, Ordering};
use wdm_kernel::*;
use zero_common::{Stats, DEVICE_TYPE, IOCTL_ZERO_CLEAR_STATS, IOCTL_ZERO_GET_STATS};

wdm_kernel::driver!("Zero", DEVICE_TYPE, [IRP_MJ_READ => zero_read, IRP_MJ_WRITE => zero_write, IRP_MJ_DEVICE_CONTROL => zero_device_control]);

static BYTES_READ: AtomicU64 = AtomicU64::new(0);
static BYTES_WRITTEN: AtomicU64 = AtomicU64::new(0);

unsafe extern "system" fn zero_read(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    let length = (*(*irp).CurrentStackLocation).Parameters.Read.Length as usize;
    let buffer = (*irp).SystemBuffer as *mut u8;
    if length > 0 && buffer.is_null() {
        return complete(irp, STATUS_INVALID_PARAMETER, 0);
    }
    if length > 0 {
        core::ptr::write_bytes(buffer, 0, length);
    }
    let total = BYTES_READ.fetch_add(length as u64, Ordering::Relaxed) + length as u64;
    DbgPrint(b"Zero: read %u bytes (%llu in all)\n\0".as_ptr(), length as u32, total);
    complete(irp, STATUS_SUCCESS, length)
}

unsafe extern "system" fn zero_write(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    let length = (*(*irp).CurrentStackLocation).Parameters.Write.Length as usize;
    let total = BYTES_WRITTEN.fetch_add(length as u64, Ordering::Relaxed) + length as u64;
    DbgPrint(b"Zero: wrote %u bytes (%llu in all)\n\0".as_ptr(), length as u32, total);
    complete(irp, STATUS_SUCCESS, length)
}

unsafe extern "system" fn zero_device_control(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    let parameters = &(*(*irp).CurrentStackLocation).Parameters.DeviceIoControl;
    match parameters.IoControlCode {
        IOCTL_ZERO_GET_STATS => {
            if (parameters.OutputBufferLength as usize) < Stats::SIZE {
                DbgPrint(b"Zero: statistics need %u bytes, got %u\n\0".as_ptr(), Stats::SIZE as u32, parameters.OutputBufferLength);
                return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
            }
            let stats = Stats { bytes_read: BYTES_READ.load(Ordering::Relaxed), bytes_written: BYTES_WRITTEN.load(Ordering::Relaxed) };
            let bytes = stats.to_bytes();
            core::ptr::copy_nonoverlapping(bytes.as_ptr(), (*irp).SystemBuffer as *mut u8, bytes.len());
            DbgPrint(b"Zero: statistics read %llu, written %llu\n\0".as_ptr(), stats.bytes_read, stats.bytes_written);
            complete(irp, STATUS_SUCCESS, bytes.len())
        }
        IOCTL_ZERO_CLEAR_STATS => {
            BYTES_READ.store(0, Ordering::Relaxed);
            BYTES_WRITTEN.store(0, Ordering::Relaxed);
            DbgPrint(b"Zero: statistics cleared\n\0".as_ptr());
            complete(irp, STATUS_SUCCESS, 0)
        }
        code => {
            DbgPrint(b"Zero: unknown control code 0x%08X\n\0".as_ptr(), code);
            complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0)
        }
    }
}
