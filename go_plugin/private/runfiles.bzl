"""Runfiles paths, as the loader package resolves them."""

# The variable of the loader package that receives the runfiles paths of a
# binary's plugins (see loader.Paths).
LOADER_PLUGINS_VAR = "github.com/rules-go-plugin/rules_go_plugin/loader.bazelPlugins"

def rlocation(ctx, f):
    """Returns the runfiles path of f ("workspace/package/file").

    Args:
      ctx: the rule context.
      f: a File in the runfiles.

    Returns:
      The path the loader resolves.
    """
    if f.short_path.startswith("../"):
        return f.short_path[3:]
    return ctx.workspace_name + "/" + f.short_path
