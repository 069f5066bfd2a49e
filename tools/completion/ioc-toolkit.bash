# Bash completion for the ioc-toolkit tools: psdecode, iocgrep, certsum, cmdchain.
# Options come from the tool's own --help, recipe names from --list-recipes and
# operation names from --list-operations, so completion never drifts from the tools.

_ioc_toolkit() {
  local cur prev tool
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  tool=${COMP_WORDS[0]}

  case $prev in
    -r|--recipe)
      if [[ $tool == psdecode || $prev == --recipe ]]; then
        local names
        names=$("$tool" --list-recipes 2>/dev/null | cut -f1)
        COMPREPLY=($(compgen -W "$names" -- "$cur") $(compgen -f -- "$cur"))
        return
      fi
      ;;
    --help-op)
      COMPREPLY=($(compgen -W "$("$tool" --list-operations 2>/dev/null | awk '{print $1}')" -- "$cur"))
      return
      ;;
    -f|--format)
      local formats="text jsonl csv tsv"
      [[ $tool == iocgrep ]] && formats="plain json $formats stix misp suricata edl nft ipset zeek splunk hosts rpz"
      [[ $tool == cmdchain ]] && formats="text jsonl json groups alerts dot mermaid sankey html"
      COMPREPLY=($(compgen -W "$formats" -- "$cur"))
      return
      ;;
    -t|--type)
      if [[ $tool == iocgrep ]]; then
        # A comma-separated list: complete the last member.
        local done=${cur%,*} last=${cur##*,} types
        [[ $done == "$cur" ]] && done="" || done="$done,"
        types=$("$tool" --list-types 2>/dev/null | grep -v '^#' | cut -f1)
        COMPREPLY=($(compgen -P "$done" -W "$types all default" -- "$last"))
        compopt -o nospace 2>/dev/null
        return
      fi
      ;;
    --group-by)
      [[ $tool == cmdchain ]] && COMPREPLY=($(compgen -W "parent-cmdline" -- "$cur"))
      return
      ;;
    --host|--since|--until|--root|--ancestors|--image|--user)
      return
      ;;
    --min-level)
      COMPREPLY=($(compgen -W "informational low medium high critical" -- "$cur"))
      return
      ;;
    --starttls)
      COMPREPLY=($(compgen -W "smtp imap ftp" -- "$cur"))
      return
      ;;
    --decode)
      [[ $tool == iocgrep ]] && COMPREPLY=($(compgen -W "all base64 hex url utf16 gzip" -- "$cur"))
      return
      ;;
    -j|--jobs|--sid-base|--set-name|--source-name|--description|-m|--match|--now|--password|--connect|--sni|--timeout)
      return
      ;;
    --patterns|--exclude|--rules)
      COMPREPLY=($(compgen -f -- "$cur"))
      return
      ;;
    --output-dir)
      COMPREPLY=($(compgen -d -- "$cur"))
      return
      ;;
    --input-format)
      COMPREPLY=($(compgen -W "auto jsonl csv tsv" -- "$cur"))
      return
      ;;
    --field|--output-field|--max-line|--max-output|--max-inflate|--max-ratio|--max-depth)
      return
      ;;
  esac

  if [[ $cur == -* ]]; then
    local opts
    opts=$("$tool" --help 2>/dev/null | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}

complete -o filenames -F _ioc_toolkit psdecode iocgrep certsum cmdchain
