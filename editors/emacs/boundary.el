;;; boundary.el --- boundary-lsp for Emacs: eglot and lsp-mode  -*- lexical-binding: t -*-

;; Install: save as ~/.emacs.d/lisp/boundary.el and add to init.el:
;;   (add-to-list 'load-path "~/.emacs.d/lisp")
;;   (require 'boundary)
;; Needs `boundary-lsp' on PATH (or set `boundary-lsp-command').
;;
;; lsp-mode: boundary-lsp is registered as an add-on server, so it runs next to rust-analyzer.
;; eglot:    eglot runs one server per buffer; with `boundary-eglot-enable' (the default) `M-x eglot' in a
;;           Rust buffer offers boundary-lsp first.  Set it to nil before loading this file to keep
;;           rust-analyzer as eglot's Rust server.

;;; Code:

(defgroup boundary nil
  "boundary-lsp: architecture and design findings for Rust code."
  :group 'tools :prefix "boundary-")

(defcustom boundary-lsp-command '("boundary-lsp" "server")
  "Program and arguments that start the boundary-lsp server over stdio."
  :type '(repeat string))

(defcustom boundary-lsp-initialization-options
  '(:diagnostics (:scope "open") :codeLens (:enable :json-false))
  "Initialization options sent to boundary-lsp, as a plist.
Keys: :configPath, :diagnostics (:scope \"open\" or \"workspace\"),
:codeLens (:enable t or :json-false).  `boundary.toml' holds the rules."
  :type 'sexp)

(defcustom boundary-eglot-enable t
  "When non-nil, make boundary-lsp eglot's server for Rust buffers."
  :type 'boolean)

(defvar eglot-server-programs)

(with-eval-after-load 'eglot
  (when boundary-eglot-enable
    (add-to-list 'eglot-server-programs
                 `((rust-mode rust-ts-mode)
                   . (,@boundary-lsp-command
                      :initializationOptions ,boundary-lsp-initialization-options)))))

(declare-function lsp-register-client "lsp-mode")
(declare-function make-lsp-client "lsp-mode")
(declare-function lsp-stdio-connection "lsp-mode")
(declare-function lsp-activate-on "lsp-mode")

(with-eval-after-load 'lsp-mode
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (lambda () boundary-lsp-command))
    :activation-fn (lsp-activate-on "rust")
    :add-on? t                          ; next to rust-analyzer, not instead of it
    :priority -2
    :server-id 'boundary-lsp
    :initialization-options (lambda () boundary-lsp-initialization-options))))

(provide 'boundary)
;;; boundary.el ends here
