//! Zed extension: registers `boundary-lsp` as a language server for Rust (next to rust-analyzer).
//! The binary is `lsp.boundary-lsp.binary.path` from Zed's settings, else `boundary-lsp` on PATH;
//! `lsp.boundary-lsp.initialization_options` / `.settings` are passed through to the server.
use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

const SERVER: &str = "boundary-lsp";

struct BoundaryExtension;

impl zed::Extension for BoundaryExtension {
    fn new() -> Self {
        BoundaryExtension
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|s| s.binary);
        let path = binary
            .as_ref()
            .and_then(|b| b.path.clone())
            .or_else(|| worktree.which(SERVER))
            .ok_or_else(|| {
                "boundary-lsp not found: install it (see the boundary-lsp README) or set \
                 lsp.boundary-lsp.binary.path in Zed's settings"
                    .to_string()
            })?;
        let args = binary
            .and_then(|b| b.arguments)
            .unwrap_or_else(|| vec!["server".to_string()]);
        Ok(zed::Command {
            command: path,
            args,
            env: Default::default(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|s| s.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        // answered to workspace/configuration, section "boundary"
        Ok(LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|s| s.settings)
            .map(|s| serde_json::json!({ "boundary": s })))
    }
}

zed::register_extension!(BoundaryExtension);
