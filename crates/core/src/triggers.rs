//! The `WebhookTrigger` table of DocSpace (contract §6.1): the single source of truth for every
//! trigger name, dotted name, bit and role availability in this crate, its TypeScript types and
//! the stand-in portal.
//!
//! On the wire a subscription's `triggers` is an int64 bitmask (JSON number) and `0` means
//! *every event*. Bits reach 2^35, so masks are `u64` here and never pass through a 32-bit
//! JavaScript `|`.

use crate::error::DocSpaceError;
use crate::suggest;

/// A DocSpace user type, as the server's `IsAvailableFor` sees it (contract §5.0, §6.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    DocSpaceAdmin,
    RoomAdmin,
    User,
    Guest,
}

const ADMIN: u8 = 1;
const ROOM_ADMIN: u8 = 2;
const USER: u8 = 4;
/// "all three" in the contract: everybody but guests.
const MEMBERS: u8 = ADMIN | ROOM_ADMIN | USER;

impl Role {
    fn flag(self) -> u8 {
        match self {
            Role::DocSpaceAdmin => ADMIN,
            Role::RoomAdmin => ROOM_ADMIN,
            Role::User => USER,
            Role::Guest => 0,
        }
    }
}

/// One row of the server's `WebhookTrigger` enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TriggerDef {
    /// The C# member name, e.g. `FileUploaded` (also the key of the JS `Trigger` object).
    pub name: &'static str,
    /// The `[Description]` name used in payloads and the triggers list, e.g. `file.uploaded`.
    pub dotted: &'static str,
    /// The bit (0 for `All`).
    pub bit: u64,
    /// Sort key of `GET settings/webhook/triggers` (the server's `GetOrder`).
    pub order: u16,
    roles: u8,
}

impl TriggerDef {
    /// Whether a user of `role` may subscribe to this trigger (the server's `IsAvailableFor`).
    pub fn available_for(&self, role: Role) -> bool {
        self.roles & role.flag() != 0
    }

    /// The entity family: the part of the dotted name before the first dot (`file`, `room`…).
    /// `All` has none.
    pub fn family(&self) -> Option<&'static str> {
        self.dotted.split_once('.').map(|(family, _)| family)
    }
}

const fn t(name: &'static str, dotted: &'static str, bit: u64, order: u16, roles: u8) -> TriggerDef {
    TriggerDef { name, dotted, bit, order, roles }
}

/// Every trigger, in the order of the server's triggers endpoint (contract §6.1). A `static`,
/// not a `const`: a `const` array is copied to every place that uses it, which put a second copy
/// of the table and its names in the wasm (2 KB raw).
pub static TRIGGERS: [TriggerDef; 37] = [
    t("All", "*", 0, 0, MEMBERS),
    t("UserCreated", "user.created", 1, 10, ADMIN | ROOM_ADMIN),
    t("UserInvited", "user.invited", 1 << 1, 11, ADMIN | ROOM_ADMIN),
    t("UserUpdated", "user.updated", 1 << 2, 12, MEMBERS),
    t("UserDeleted", "user.deleted", 1 << 3, 13, MEMBERS),
    t("GroupCreated", "group.created", 1 << 4, 20, ADMIN | ROOM_ADMIN),
    t("GroupUpdated", "group.updated", 1 << 5, 21, ADMIN | ROOM_ADMIN),
    t("GroupDeleted", "group.deleted", 1 << 6, 22, ADMIN | ROOM_ADMIN),
    t("FileCreated", "file.created", 1 << 7, 30, MEMBERS),
    t("FileUploaded", "file.uploaded", 1 << 8, 31, MEMBERS),
    t("FileUpdated", "file.updated", 1 << 9, 32, MEMBERS),
    t("FileTrashed", "file.trashed", 1 << 10, 33, MEMBERS),
    t("FileDeleted", "file.deleted", 1 << 11, 34, MEMBERS),
    t("FileRestored", "file.restored", 1 << 12, 35, MEMBERS),
    t("FileCopied", "file.copied", 1 << 13, 36, MEMBERS),
    t("FileMoved", "file.moved", 1 << 14, 37, MEMBERS),
    t("FileDownloaded", "file.downloaded", 1 << 34, 38, MEMBERS),
    t("FolderCreated", "folder.created", 1 << 15, 40, MEMBERS),
    t("FolderUpdated", "folder.updated", 1 << 16, 41, MEMBERS),
    t("FolderTrashed", "folder.trashed", 1 << 17, 42, MEMBERS),
    t("FolderDeleted", "folder.deleted", 1 << 18, 43, MEMBERS),
    t("FolderRestored", "folder.restored", 1 << 19, 44, MEMBERS),
    t("FolderCopied", "folder.copied", 1 << 20, 45, MEMBERS),
    t("FolderMoved", "folder.moved", 1 << 21, 46, MEMBERS),
    t("FolderDownloaded", "folder.downloaded", 1 << 35, 47, MEMBERS),
    t("RoomCreated", "room.created", 1 << 22, 50, ADMIN | ROOM_ADMIN),
    t("RoomUpdated", "room.updated", 1 << 23, 51, MEMBERS),
    t("RoomArchived", "room.archived", 1 << 24, 52, MEMBERS),
    t("RoomDeleted", "room.deleted", 1 << 25, 53, MEMBERS),
    t("RoomRestored", "room.restored", 1 << 26, 54, MEMBERS),
    t("RoomCopied", "room.copied", 1 << 27, 55, ADMIN | ROOM_ADMIN),
    t("FormSubmit", "form.submit", 1 << 28, 60, MEMBERS),
    t("FormFilledOut", "form.filled.out", 1 << 29, 61, MEMBERS),
    t("FormStopped", "form.stopped", 1 << 30, 62, MEMBERS),
    t("AgentCreated", "agent.created", 1 << 31, 70, ADMIN | ROOM_ADMIN),
    t("AgentUpdated", "agent.updated", 1 << 32, 71, MEMBERS),
    t("AgentDeleted", "agent.deleted", 1 << 33, 72, MEMBERS),
];

/// OR of every defined bit (2^36 − 1).
pub const ALL_BITS: u64 = {
    let mut mask = 0;
    let mut i = 0;
    while i < TRIGGERS.len() {
        mask |= TRIGGERS[i].bit;
        i += 1;
    }
    mask
};

/// The highest bit servers before 3.7 knew (`room.copied`): their triggers list ends there
/// (contract §10).
pub const LAST_BEFORE_3_7: u64 = 1 << 27;

/// The largest integer a JavaScript number holds exactly (2^53 − 1).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Looks a trigger up by its C# name (`FileUploaded`), its dotted name (`file.uploaded`), or
/// `*`. Exact spelling only: the suggestions of [`parse_name`] help with near misses.
pub fn by_name(name: &str) -> Option<&'static TriggerDef> {
    TRIGGERS.iter().find(|def| def.name == name || def.dotted == name)
}

/// Looks a single bit up (0 is `All`).
pub fn by_bit(bit: u64) -> Option<&'static TriggerDef> {
    TRIGGERS.iter().find(|def| def.bit == bit)
}

/// Resolves one trigger name to its bit, or explains what is wrong with it, naming `field`.
pub fn parse_name(field: &str, name: &str) -> Result<u64, DocSpaceError> {
    if let Some(def) = by_name(name) {
        return Ok(def.bit);
    }
    let candidates = TRIGGERS.iter().flat_map(|def| [def.name, def.dotted]);
    let hint = match suggest::closest(name, candidates).and_then(by_name) {
        Some(def) => format!("; did you mean \"{}\"?", def.name),
        None => "; use a Trigger constant, a C# name like \"FileUploaded\", a dotted name like \"file.uploaded\", or \"All\"".to_string(),
    };
    Err(DocSpaceError::invalid_input(field, format!("unknown trigger {}{hint}", quote(name))))
}

/// Checks a numeric mask given by a caller: a non-negative integer a JS number holds exactly.
/// Bits this table does not know are allowed, so masks from a newer server round-trip.
pub fn check_mask_number(field: &str, value: f64) -> Result<u64, DocSpaceError> {
    if !(value.is_finite() && value.fract() == 0.0 && value >= 0.0) {
        return Err(DocSpaceError::invalid_input(
            field,
            format!("a trigger mask must be a non-negative integer, got {}", crate::text::number(value)),
        ));
    }
    if value > MAX_SAFE_INTEGER as f64 {
        return Err(DocSpaceError::invalid_input(field, "a trigger mask must not exceed Number.MAX_SAFE_INTEGER"));
    }
    Ok(value as u64)
}

/// Combines several already-resolved bits; `All` (0) cannot be mixed with others, and an
/// empty list is refused because the server would read its mask 0 as *every event*.
pub fn combine(field: &str, bits: &[(String, u64)]) -> Result<u64, DocSpaceError> {
    if bits.is_empty() {
        return Err(DocSpaceError::invalid_input(
            field,
            "an empty trigger list would mean every event to the server; pass \"All\" to subscribe to everything",
        ));
    }
    if bits.len() > 1 {
        if let Some((label, _)) = bits.iter().find(|(_, bit)| *bit == 0) {
            return Err(DocSpaceError::invalid_input(
                field,
                format!("{label} means every event and cannot be combined with other triggers"),
            ));
        }
    }
    Ok(bits.iter().fold(0, |mask, (_, bit)| mask | bit))
}

/// The C# names of the bits set in `mask`, in table order; `["All"]` for 0.
/// Bits this table does not know are left out.
pub fn names(mask: u64) -> Vec<&'static str> {
    decode(mask).map(|def| def.name).collect()
}

/// The dotted names of the bits set in `mask` (`["*"]` for 0), as the server writes them in a
/// delivered payload's `webhook.triggers`.
pub fn dotted_names(mask: u64) -> Vec<&'static str> {
    decode(mask).map(|def| def.dotted).collect()
}

fn decode(mask: u64) -> impl Iterator<Item = &'static TriggerDef> {
    TRIGGERS.iter().filter(move |def| if mask == 0 { def.bit == 0 } else { def.bit != 0 && mask & def.bit != 0 })
}

/// The first trigger in `mask` that `role` may not subscribe to (the server's
/// "Trigger is not available" check, which ignores undefined bits).
pub fn first_unavailable(mask: u64, role: Role) -> Option<&'static TriggerDef> {
    if mask == 0 {
        return by_bit(0).filter(|all| !all.available_for(role));
    }
    decode(mask).find(|def| !def.available_for(role))
}

fn quote(text: &str) -> String {
    crate::text::quote(text, 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_37_unique_rows_and_bits_up_to_2_pow_35() {
        assert_eq!(TRIGGERS.len(), 37);
        for (i, a) in TRIGGERS.iter().enumerate() {
            assert!(a.bit == 0 || a.bit.is_power_of_two(), "{}", a.name);
            for b in &TRIGGERS[i + 1..] {
                assert_ne!(a.name, b.name);
                assert_ne!(a.dotted, b.dotted);
                assert_ne!(a.bit, b.bit);
            }
        }
        assert_eq!(ALL_BITS, (1u64 << 36) - 1);
        assert_eq!(by_name("FolderDownloaded").map(|d| d.bit), Some(34_359_738_368));
        assert_eq!(by_name("agent.created").map(|d| d.bit), Some(2_147_483_648));
    }

    #[test]
    fn rows_are_in_endpoint_order() {
        assert!(TRIGGERS.windows(2).all(|w| w[0].order < w[1].order));
    }

    #[test]
    fn names_and_dotted_names_resolve() {
        assert_eq!(by_name("FileUploaded").map(|d| d.bit), Some(256));
        assert_eq!(by_name("file.uploaded").map(|d| d.bit), Some(256));
        assert_eq!(by_name("*").map(|d| d.bit), Some(0));
        assert_eq!(by_name("All").map(|d| d.bit), Some(0));
        assert_eq!(by_name("form.filled.out").map(|d| d.name), Some("FormFilledOut"));
        assert!(by_name("fileuploaded").is_none());
    }

    #[test]
    fn unknown_names_get_a_suggestion_naming_the_field() {
        let err = parse_name("triggers[1]", "fileUploaded").unwrap_err();
        assert_eq!(err.kind, crate::error::ErrorKind::InvalidInput);
        assert!(err.message.contains("triggers[1]"), "{}", err.message);
        assert!(err.message.contains("did you mean \"FileUploaded\""), "{}", err.message);
        let err = parse_name("triggers", "file-uploaded-x").unwrap_err();
        assert!(err.message.contains("\"file-uploaded-x\""), "{}", err.message);
        assert!(err.message.contains("\"All\""), "{}", err.message);
        assert!(parse_name("t", "FILE.UPLOADED").unwrap_err().message.contains("FileUploaded"));
    }

    #[test]
    fn masks_decode_in_table_order_and_keep_high_bits() {
        assert_eq!(names(384), vec!["FileCreated", "FileUploaded"]);
        assert_eq!(names(0), vec!["All"]);
        assert_eq!(dotted_names(0), vec!["*"]);
        let high = (1u64 << 34) | (1 << 35) | (1 << 31);
        assert_eq!(names(high), vec!["FileDownloaded", "FolderDownloaded", "AgentCreated"]);
        assert_eq!(names(ALL_BITS).len(), 36);
        // An unknown bit from a newer server is skipped, not misread.
        assert_eq!(names(1 << 40), Vec::<&str>::new());
    }

    #[test]
    fn combine_refuses_empty_lists_and_all_with_others() {
        assert!(combine("triggers", &[]).unwrap_err().message.contains("\"All\""));
        let mixed = [("\"All\"".to_string(), 0), ("\"FileUploaded\"".to_string(), 256)];
        assert!(combine("triggers", &mixed).unwrap_err().message.contains("cannot be combined"));
        let ok = [("a".to_string(), 1 << 35), ("b".to_string(), 256), ("c".to_string(), 256)];
        assert_eq!(combine("triggers", &ok).unwrap(), (1 << 35) | 256);
    }

    #[test]
    fn mask_numbers_must_be_safe_non_negative_integers() {
        assert_eq!(check_mask_number("m", 68_719_476_735.0).unwrap(), ALL_BITS);
        assert_eq!(check_mask_number("m", 2f64.powi(40)).unwrap(), 1 << 40);
        for bad in [-1.0, 1.5, f64::NAN, f64::INFINITY, 2f64.powi(53)] {
            assert!(check_mask_number("m", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn availability_matches_the_server_matrix() {
        let user_created = by_name("UserCreated").unwrap();
        assert!(user_created.available_for(Role::DocSpaceAdmin));
        assert!(user_created.available_for(Role::RoomAdmin));
        assert!(!user_created.available_for(Role::User));
        assert!(TRIGGERS.iter().all(|d| !d.available_for(Role::Guest)));
        assert!(TRIGGERS.iter().all(|d| d.available_for(Role::RoomAdmin)));
        assert_eq!(first_unavailable(1 | 256, Role::User).map(|d| d.name), Some("UserCreated"));
        assert_eq!(first_unavailable(256, Role::User), None);
        assert_eq!(first_unavailable(0, Role::Guest).map(|d| d.name), Some("All"));
        assert_eq!(by_name("RoomCopied").unwrap().family(), Some("room"));
        assert_eq!(by_name("All").unwrap().family(), None);
    }
}
