//! The one GUID check: the server's user ids (`0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d`), as the
//! log filter's `userId` takes them.

/// Whether `text` is 8-4-4-4-12 hex digits.
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_guid;

    #[test]
    fn guids_are_five_hex_groups() {
        assert!(is_guid("0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3d"));
        assert!(is_guid("0EE7A0B2-6C5F-4B7E-9A43-9A2A1F1B2C3D"));
        for bad in
            ["", "0ee7a0b2", "0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3", "0ee7a0b2-6c5f-4b7e-9a43-9a2a1f1b2c3g", "a-b-c-d-e"]
        {
            assert!(!is_guid(bad), "{bad}");
        }
    }
}
