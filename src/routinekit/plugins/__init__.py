"""Finding, loading and isolating plugins (built-in and third-party)."""

from routinekit.plugins.host import PluginHost, PluginInfo, get_host, get_plugin_manager

__all__ = ["PluginHost", "PluginInfo", "get_host", "get_plugin_manager"]
