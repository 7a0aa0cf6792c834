print("</code></pre><script>window.__pwned = 11</script>")
